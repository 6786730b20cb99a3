import { accessRuntime } from '../shared/access-capability.js';
import { revokeAccessStep } from './step.js';

export const runtime = await accessRuntime(revokeAccessStep);
