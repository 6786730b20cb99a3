import { describe, expect, it } from 'vitest';
import { checkRunbook, extractReferences, parseRunbook } from './runbook.js';

const good = `---
title: Block hostile addresses
owner: security
severities: [SEV0, SEV1]
last_reviewed: 2026-11-01
review_every_days: 90
steps: [block-ips]
---
# Block hostile addresses

1. Dry-run: \`firebreak block-ips --addresses 203.0.113.7\`
2. Press [block-ips](../.github/workflows/block-ips.yml).

\`\`\`bash
npx firebreak block-ips --apply --addresses 203.0.113.7
\`\`\`
`;

const world = {
  commands: new Set(['block-ips', 'audit']),
  exists: (p: string) => p === '.github/workflows/block-ips.yml',
  today: new Date('2026-11-23T00:00:00Z'),
};

describe('runbooks', () => {
  it('accepts a runbook whose steps, commands and links exist and whose review is current', () => {
    const parsed = parseRunbook(good, 'runbooks/block.md');
    expect(parsed.frontMatter?.steps).toEqual(['block-ips']);
    expect(checkRunbook(parsed, world)).toEqual([]);
  });

  it('finds commands in inline code and fenced blocks, and workflow links', () => {
    const refs = extractReferences(good);
    expect(refs.commands.map((c) => [c.name, c.line])).toEqual([
      ['block-ips', 11],
      ['block-ips', 15],
    ]);
    expect(refs.paths).toEqual([{ path: '.github/workflows/block-ips.yml', line: 12 }]);
  });

  it('names an unknown step, a missing workflow, and the line of each', () => {
    const text = good.replace('steps: [block-ips]', 'steps: [block-ips, nuke-prod]').replace('block-ips.yml', 'blok-ips.yml');
    const problems = checkRunbook(parseRunbook(text, 'r.md'), world);
    expect(problems.map((p) => [p.kind, p.line])).toEqual([
      ['unknown-step', 1],
      ['missing-file', 12],
    ]);
    expect(problems[0]!.message).toContain('nuke-prod');
  });

  it('flags a runbook not reviewed within its period as stale', () => {
    const problems = checkRunbook(parseRunbook(good, 'r.md'), { ...world, today: new Date('2027-03-01T00:00:00Z') });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.kind).toBe('stale');
    expect(problems[0]!.message).toMatch(/120 days ago/);
  });

  it('rejects missing or invalid front matter with the line of the bad field', () => {
    expect(parseRunbook('# no front matter', 'x.md').problems[0]!.message).toMatch(/no YAML front matter/);
    const bad = good.replace('last_reviewed: 2026-11-01', 'last_reviewed: last tuesday');
    const problems = parseRunbook(bad, 'x.md').problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'invalid', line: 5 });
    expect(problems[0]!.message).toContain('last_reviewed');
  });

  it('flags an unknown command used in the body', () => {
    const text = good.replace('firebreak block-ips --addresses', 'firebreak blockips --addresses');
    const problems = checkRunbook(parseRunbook(text, 'r.md'), world);
    expect(problems.map((p) => p.kind)).toEqual(['unknown-step']);
    expect(problems[0]!.line).toBe(11);
  });
});
