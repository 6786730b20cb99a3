import { incidentRuntime } from '../shared/incident-capability.js';
import { recordNotificationStep } from './step.js';

export const runtime = await incidentRuntime(recordNotificationStep);
