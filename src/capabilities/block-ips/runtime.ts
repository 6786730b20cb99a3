import { ipBlockRuntime } from '../shared/ip-block-capability.js';
import { blockIpsStep } from './step.js';

export const runtime = await ipBlockRuntime(blockIpsStep);
