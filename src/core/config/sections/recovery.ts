import * as z from 'zod/mini';
import { checkNames } from './edge.js';

/**
 * `rollback:` and `restart_service:` in firebreak.yml: the health checks each step runs after it
 * applies, when the run's `verify` input is empty (names from `health.checks` / `health.alarms`).
 */
export const rollbackSection = z.strictObject({
  verify_after: checkNames,
});

export const restartServiceSection = z.strictObject({
  verify_after: checkNames,
});
