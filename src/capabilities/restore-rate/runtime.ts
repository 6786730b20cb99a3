import { edgeRuntime } from '../shared/edge-capability.js';
import { restoreRateStep } from './step.js';

export const runtime = await edgeRuntime(restoreRateStep);
