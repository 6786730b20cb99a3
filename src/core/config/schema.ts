import * as z from 'zod/mini';
import { limitsSection, projectSection, protectedRangeSection } from './sections/base.js';
import { incidentSection } from './sections/incident.js';
import { blockingSection } from './sections/blocking.js';
import { accessSection } from './sections/access.js';
import { healthSection, rateLimitsSection, routesSection } from './sections/edge.js';
import { restartServiceSection, rollbackSection } from './sections/recovery.js';
import { notifySection } from './sections/notify.js';
import { fleetSection } from './sections/fleet.js';
import { alertsSection, issueopsSection } from './sections/alerts.js';
import { drillSection } from './sections/drill.js';

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
  routes: z.prefault(routesSection, {}),
  rate_limits: z.prefault(rateLimitsSection, {}),
  health: z.prefault(healthSection, {}),
  rollback: z.prefault(rollbackSection, {}),
  restart_service: z.prefault(restartServiceSection, {}),
  notify: z.prefault(notifySection, {}),
  fleet: z.prefault(fleetSection, {}),
  alerts: z.prefault(alertsSection, {}),
  issueops: z.prefault(issueopsSection, {}),
  drill: z.prefault(drillSection, {}),
});

export type FirebreakConfig = z.infer<typeof configSchema>;
export type FirebreakConfigInput = z.input<typeof configSchema>;
