import { edgeRuntime } from '../shared/edge-capability.js';
import { enableRoutesStep } from './step.js';

export const runtime = await edgeRuntime(enableRoutesStep);
