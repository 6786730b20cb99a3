import { closeIncidentStep } from './step.js';
import { incidentRuntime } from '../shared/incident-capability.js';

export const runtime = await incidentRuntime(closeIncidentStep);
