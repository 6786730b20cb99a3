import { incidentRuntime } from '../shared/incident-capability.js';
import { incidentTickStep } from './step.js';

export const runtime = await incidentRuntime(incidentTickStep);
