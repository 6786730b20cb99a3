import { describe, expect, it } from 'vitest';
import { checkRunbook, parseRunbook } from './runbook.js';
import { runbookCoverage } from './runbook-coverage.js';

const runbook = (extra: string) => `---
title: Seed drill
owner: security
source: seeds/000.txt
last_reviewed: 2026-11-20
last_tested: 2026-11-30
steps: [block-ips]
${extra}
---
# Seed drill
`;

const world = (drillInput?: (step: string, input: Readonly<Record<string, unknown>>) => string | undefined) => ({
  commands: new Set(['block-ips', 'declare']),
  exists: () => true,
  today: new Date('2026-12-02T00:00:00Z'),
  ...(drillInput ? { drillInput } : {}),
});

describe('runbook actions and drill (issue 18)', () => {
  it('an action names exactly one of capability or manual, with a reason long enough to mean something', () => {
    const both = parseRunbook(runbook('actions:\n  - { id: a, does: x, capability: block-ips, manual: "a legal judgement" }'), 'r.md');
    expect(both.problems.map((p) => p.message).join('\n')).toMatch(/exactly one of `capability`/);
    const neither = parseRunbook(runbook('actions:\n  - { id: a, does: x }'), 'r.md');
    expect(neither.problems.length).toBe(1);
    const terse = parseRunbook(runbook('actions:\n  - { id: a, does: x, manual: "no" }'), 'r.md');
    expect(terse.problems.map((p) => p.message).join('\n')).toMatch(/say why it cannot be automated/);
  });

  it('drill steps must be commands, their inputs pass the step schema, and covers name real action ids', () => {
    const parsed = parseRunbook(
      runbook('actions:\n  - { id: block, does: x, capability: block-ips }\ndrill:\n  - { step: teleport }\n  - { step: block-ips, with: { addresses: 203.0.113.7 }, covers: [blokc] }'),
      'r.md',
    );
    expect(parsed.problems).toEqual([]);
    const problems = checkRunbook(parsed, world((step, input) => (step === 'block-ips' && !('reason' in input) ? 'reason is required' : undefined)));
    expect(problems.map((p) => `${p.kind}: ${p.message}`)).toEqual([
      'unknown-step: drill step 1 runs "teleport", which is not a firebreak command',
      'drill-input: drill step 2 (block-ips): reason is required',
      'invalid: drill step 2 covers "blokc", which is not an action id of this runbook',
    ]);
  });

  it('a runbook with a drill is untested until last_tested is recent', () => {
    const drilled = 'drill:\n  - { step: declare, with: { title: t } }';
    expect(checkRunbook(parseRunbook(runbook(drilled), 'r.md'), world()).map((p) => p.kind)).toEqual([]);
    const old = runbook(drilled).replace('last_tested: 2026-11-30', 'last_tested: 2026-10-01');
    expect(checkRunbook(parseRunbook(old, 'r.md'), world()).map((p) => `${p.kind}: ${p.message}`)).toEqual(['untested: last drilled green 2026-10-01, 62 days ago (drill every 14)']);
    const never = runbook(drilled).replace('last_tested: 2026-11-30\n', '');
    expect(checkRunbook(parseRunbook(never, 'r.md'), world()).map((p) => p.kind)).toEqual(['untested']);
  });

  it('duplicate action ids are refused', () => {
    const parsed = parseRunbook(runbook('actions:\n  - { id: a, does: x, capability: block-ips }\n  - { id: a, does: y, capability: declare }'), 'r.md');
    expect(checkRunbook(parsed, world()).map((p) => p.message)).toEqual(['action id "a" is used twice']);
  });
});

describe('runbookCoverage', () => {
  const fm = parseRunbook(
    runbook(`actions:
  - { id: block, does: block the source, capability: block-ips }
  - { id: open, does: open the incident, capability: declare }
  - { id: page, does: page the commander, capability: notify }
  - { id: snap, does: snapshot atlas, capability: preserve-evidence, pending: "no Atlas source yet, take it by hand" }
  - { id: letter, does: write the letter, manual: "wording is a human call" }
  - { id: traced, does: trace ids, capability: triage }
drill:
  - { step: block-ips, with: {} }
  - { step: declare, with: { title: t }, covers: [traced] }`),
    'r.md',
  ).frontMatter!;

  it('covered = built and run by the drill (by step or covers); planned, pending and undrilled are gaps; manual is not counted', () => {
    const c = runbookCoverage('r.md', fm, new Set(['block-ips', 'declare', 'triage', 'preserve-evidence']));
    expect(c.actions.map((a) => `${a.id}:${a.status}`)).toEqual(['block:covered', 'open:covered', 'page:not built', 'snap:pending', 'letter:manual', 'traced:covered']);
    expect(c).toMatchObject({ automatable: 5, covered: 3, manual: 1, percent: 60 });
  });

  it('a built capability the drill does not run is not covered', () => {
    const c = runbookCoverage('r.md', { ...fm, drill: [] }, new Set(['block-ips', 'declare', 'triage', 'notify', 'preserve-evidence']));
    expect(c.covered).toBe(0);
    expect(c.actions.filter((a) => a.status === 'not drilled').map((a) => a.id)).toEqual(['block', 'open', 'page', 'traced']);
  });
});
