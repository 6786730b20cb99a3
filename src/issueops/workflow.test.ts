import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * issueops.yml: the production apply job is gated by the environment the plan job chose from
 * issueops.environments, not by a name written into the workflow, and no expression reads the
 * comment.
 */
const text = readFileSync(fileURLToPath(new URL('../../.github/workflows/issueops.yml', import.meta.url)), 'utf8');
const wf = parse(text) as { jobs: Record<string, { environment?: string; if?: string; outputs?: Record<string, string> }> };

describe('issueops.yml', () => {
  it('takes the apply environment from the plan job (a checked name), never a hardcoded one or comment text', () => {
    expect(wf.jobs['apply']!.environment).toBe('${{ needs.plan.outputs.environment }}');
    expect(wf.jobs['apply']!.if).toContain("needs.plan.outputs.environment != ''");
    expect(wf.jobs['plan']!.outputs).toEqual({ lane: '${{ steps.plan.outputs.lane }}', environment: '${{ steps.plan.outputs.environment }}' });
    const expressions = [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!.trim());
    expect(expressions.filter((e) => /github\.event\.comment\.(body|user)|github\.event\.issue\.(title|body)/.test(e))).toEqual([]);
  });
});
