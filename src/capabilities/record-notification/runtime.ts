import type { CapabilityRuntime } from '../types.js';
import { buildIncidentPorts } from '../../runtime/ports/incident.js';
import { recordNotificationStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: recordNotificationStep,
  ports: (ctx) => buildIncidentPorts(ctx),
  // The incident's state is derived from the issue: a record that did not reach it must fail.
  mirrorFailure: 'fail',
};
