import { edgeRuntime } from '../shared/edge-capability.js';
import { limitRateStep } from './step.js';

export const runtime = await edgeRuntime(limitRateStep);
