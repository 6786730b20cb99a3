import type { InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (step field → action input name); the common ones live in COMMON_INPUTS. */
export const INPUTS = {
  title: 'title',
  slug: 'slug',
  summary: 'summary',
  severity: 'severity',
  answers: 'answers',
  workaround: 'workaround',
  unsure: 'unsure',
  facts: 'facts',
} as const;

export function readInputs(read: InputReader): Record<string, unknown> {
  return {
    title: read.required(INPUTS.title),
    slug: read.get(INPUTS.slug),
    summary: read.get(INPUTS.summary),
    severity: read.get(INPUTS.severity),
    answers: read.get(INPUTS.answers),
    workaround: read.get(INPUTS.workaround),
    unsure: read.get(INPUTS.unsure),
    facts: read.get(INPUTS.facts),
  };
}
