import { declaredIncidentId, declareStep } from './step.js';
import { incidentRuntime } from '../shared/incident-capability.js';

export const runtime = await incidentRuntime(declareStep, {
  incidentId: (raw, now) => declaredIncidentId(raw, now),
});
