import { edgeRuntime } from '../shared/edge-capability.js';
import { disableRoutesStep } from './step.js';

export const runtime = await edgeRuntime(disableRoutesStep);
