import type { CapabilityRuntime } from '../types.js';
import { buildIncidentPorts } from '../../runtime/ports/incident.js';
import { recordContainmentStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: recordContainmentStep,
  ports: (ctx) => buildIncidentPorts(ctx),
  // The incident's state is derived from the issue: a record that did not reach it must fail.
  mirrorFailure: 'fail',
};
