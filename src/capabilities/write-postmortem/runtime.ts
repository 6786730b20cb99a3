import { incidentRuntime } from '../shared/incident-capability.js';
import { writePostmortemStep } from './step.js';

export const runtime = await incidentRuntime(writePostmortemStep, {
  prepare: (raw) => ({ ...raw, action_items: typeof raw.action_items === 'string' ? raw.action_items.split('\n') : [] }),
});
