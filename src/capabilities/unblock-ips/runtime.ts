import { ipBlockRuntime } from '../shared/ip-block-capability.js';
import { unblockIpsStep } from './step.js';

export const runtime = await ipBlockRuntime(unblockIpsStep);
