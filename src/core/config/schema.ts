import { z } from 'zod';
import { limitsSection, projectSection, protectedRangeSection } from './sections/base.js';
import { incidentSection } from './sections/incident.js';
import { blockingSection } from './sections/blocking.js';

/**
 * The schema of `firebreak.yml`. Each capability owns one section file in `./sections/` and adds
 * one line here, so the schema stays readable and the sections stay small.
 */
export const configSchema = z
  .object({
    version: z.literal(1),
    project: projectSection.default({ name: 'firebreak' }),
    limits: limitsSection.default({ max_changes_per_run: 10_000 }),
    protected_ranges: z.array(protectedRangeSection).default([]),
    incident: incidentSection.prefault({}),
    blocking: blockingSection.prefault({}),
  })
  .strict();

export type FirebreakConfig = z.infer<typeof configSchema>;
export type FirebreakConfigInput = z.input<typeof configSchema>;
