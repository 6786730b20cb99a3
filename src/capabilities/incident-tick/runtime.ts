import { tickTriggerInput } from '../../runtime/tick-trigger.js';
import { incidentRuntime } from '../shared/incident-capability.js';
import { incidentTickStep } from './step.js';

// The action reads which scheduler started it (and when it was meant to run) from the event.
export const runtime = await incidentRuntime(incidentTickStep, { prepare: (raw) => ({ ...raw, ...tickTriggerInput() }) });
