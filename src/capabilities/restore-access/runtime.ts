import { accessRuntime } from '../shared/access-capability.js';
import { restoreAccessStep } from './step.js';

export const runtime = await accessRuntime(restoreAccessStep);
