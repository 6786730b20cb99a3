import { ipBlockRuntime } from '../shared/ip-block-capability.js';
import { sweepExpiredStep } from './step.js';

export const runtime = await ipBlockRuntime(sweepExpiredStep);
