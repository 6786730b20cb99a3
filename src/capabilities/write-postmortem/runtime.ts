import type { CapabilityRuntime } from '../types.js';
import { buildIncidentPorts } from '../../runtime/ports/incident.js';
import { writePostmortemStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: writePostmortemStep,
  ports: (ctx) => buildIncidentPorts(ctx),
  // The incident's state is derived from the issue: a record that did not reach it must fail.
  mirrorFailure: 'fail',
  prepare: (raw) => ({ ...raw, action_items: typeof raw.action_items === 'string' ? raw.action_items.split('\n') : [] }),
};
