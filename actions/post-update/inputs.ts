import { parse as parseYaml } from 'yaml';
import { InputError } from '../../src/core/errors.js';
import type { InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (step field → action input name); the common ones live in COMMON_INPUTS. */
export const INPUTS = {
  audience: 'audience',
  kind: 'kind',
  status: 'status',
  text: 'text',
  impact: 'impact',
  root_cause: 'root-cause',
  eta: 'eta',
  next_update: 'next-update',
  fix_pr: 'fix-pr',
  facts: 'facts',
} as const;

export function readInputs(read: InputReader): Record<string, unknown> {
  return {
    audience: read.get(INPUTS.audience),
    kind: read.get(INPUTS.kind),
    status: read.get(INPUTS.status),
    text: read.get(INPUTS.text),
    impact: read.get(INPUTS.impact),
    root_cause: read.get(INPUTS.root_cause),
    eta: read.get(INPUTS.eta),
    next_update: read.get(INPUTS.next_update),
    fix_pr: read.get(INPUTS.fix_pr),
    facts: parseYamlInput(read.get(INPUTS.facts)),
  };
}

/** YAML text → value; empty → undefined. A YAML error is an InputError naming the input. */
function parseYamlInput(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return parseYaml(text);
  } catch (error) {
    throw new InputError(`facts: not valid YAML: ${(error as Error).message.split('\n')[0]}`, { field: 'facts' });
  }
}
