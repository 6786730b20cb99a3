import { incidentRuntime } from '../shared/incident-capability.js';
import { recordContainmentStep } from './step.js';

export const runtime = await incidentRuntime(recordContainmentStep);
