import * as z from 'zod/mini';
import { limitsSection, projectSection, protectedRangeSection } from './sections/base.js';
import { incidentSection } from './sections/incident.js';
import { blockingSection } from './sections/blocking.js';
import { accessSection } from './sections/access.js';
import { alertsSection, issueopsSection } from './sections/alerts.js';

/**
 * The schema of `firebreak.yml`. Each capability owns one section file in `./sections/` and adds
 * one line here, so the schema stays readable and the sections stay small.
 */
export const configSchema = z.strictObject({
  version: z.literal(1),
  project: z._default(projectSection, { name: 'firebreak' }),
  limits: z._default(limitsSection, { max_changes_per_run: 10_000 }),
  protected_ranges: z._default(z.array(protectedRangeSection), []),
  incident: z.prefault(incidentSection, {}),
  blocking: z.prefault(blockingSection, {}),
  access: z.prefault(accessSection, {}),
  alerts: z.prefault(alertsSection, {}),
  issueops: z.prefault(issueopsSection, {}),
});

export type FirebreakConfig = z.infer<typeof configSchema>;
export type FirebreakConfigInput = z.input<typeof configSchema>;
