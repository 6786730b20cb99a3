import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilityBySlug } from '../../capabilities/registry.js';
import { stampLastTested } from '../../cli/commands/drill.js';
import { parseRunbook } from '../../core/runbook.js';
import { cliArgs } from './cli-args.js';
import { parseFaultSpecs } from './fault-spec.js';
import { drillStart } from './run.js';
import { RunbookWorld } from './world.js';

const run = { configFile: '/w/firebreak.yml', auditFile: '/w/audit.jsonl', incidentId: 'INC-2026-12-02-x', workDir: '/tmp', index: 0 };

describe('a drill step as the command a responder types', () => {
  it('positional inputs go first in schema order, flags by their public names, then the run options', async () => {
    const args = await cliArgs(capabilityBySlug('block-ips')!, { reason: 'r', ttl: '24h', addresses: '203.0.113.7 198.51.100.0/24' }, run);
    expect(args.slice(0, 2)).toEqual(['block-ips', '203.0.113.7 198.51.100.0/24']);
    expect(args).toEqual(expect.arrayContaining(['--reason', 'r', '--ttl', '24h', '--apply', '--json', '--incident', 'INC-2026-12-02-x']));
    expect(args[args.indexOf('--config') + 1]).toBe('/w/firebreak.yml');
  });

  it('declare mints its incident: no --incident; its facts go to a file, as the CLI takes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-cli-args-'));
    const args = await cliArgs(capabilityBySlug('declare')!, { title: 'T', facts: 'discovered_at: 2026-12-02T08:00:00Z' }, { ...run, workDir: dir });
    expect(args).not.toContain('--incident');
    const file = args[args.indexOf('--facts') + 1]!;
    expect(await readFile(file, 'utf8')).toBe('discovered_at: 2026-12-02T08:00:00Z');
  });

  it('an input the capability does not take is refused, naming what it takes', async () => {
    await expect(cliArgs(capabilityBySlug('block-ips')!, { adresses: '203.0.113.7' }, run)).rejects.toMatchObject({ code: 'INPUT_UNKNOWN', message: expect.stringMatching(/adresses.*addresses/) });
  });
});

describe('--faults', () => {
  it('reads AWS operations, HTTP matches, statuses and counts', () => {
    const [a, g] = parseFaultSpecs('aws:UpdateIPSet=500x2, github:POST /repos/[^/]+/[^/]+/issues');
    expect(a).toMatchObject({ service: 'aws', rule: { target: 'UpdateIPSet', status: 500, times: 2 } });
    expect(g!.rule).toMatchObject({ method: 'POST', status: 503, times: 1 });
    expect((g!.rule.path as RegExp).test('/repos/o/r/issues')).toBe(true);
    expect((g!.rule.path as RegExp).test('/repos/o/r/issues/1/comments')).toBe(false);
  });

  it.each([
    ['nope:Thing', /service/],
    ['aws:Update IPSet', /AWS operation/],
    ['aws:UpdateIPSet=200', /not an error/],
    ['aws:UpdateIPSet=503x0', /at least 1/],
    ['github:GET /repos/([', /Invalid regular expression|Unterminated/],
  ])('refuses %s', (spec, message) => {
    expect(() => parseFaultSpecs(spec)).toThrow(message);
  });
});

describe('the drill clock', () => {
  const fm = (drill: string, extra = '') => parseRunbook(`---\ntitle: t\nowner: o\nlast_reviewed: 2026-12-01\nsteps: [declare]\n${extra}drill:\n${drill}\n---\n`, 'x.md').frontMatter!;

  it('starts 30 minutes after the latest time the plan names, whatever its offset', () => {
    const f = fm('  - { step: declare, with: { title: t, facts: "discovered_at: 2026-12-02T09:30:00-08:00" } }\n  - { step: preserve-evidence, with: { from: "2026-12-02T10:00:00Z" } }');
    expect(drillStart(f).toISOString()).toBe('2026-12-02T18:00:00.000Z');
  });

  it('starts at drill_start when the runbook gives one', () => {
    expect(drillStart(fm('  - { step: declare, with: { title: t } }', 'drill_start: 2027-01-05T03:00:00Z\n')).toISOString()).toBe('2027-01-05T03:00:00.000Z');
  });

  it('refuses a step gap that is not a duration', () => {
    const parsed = parseRunbook('---\ntitle: t\nowner: o\nlast_reviewed: 2026-12-01\nsteps: [declare]\ndrill:\n  - { step: declare, with: {}, after: soon }\n---\n', 'x.md');
    expect(parsed.problems.map((p) => p.message).join()).toMatch(/after.*duration/);
  });

  it('refuses a drill_config outside the runbook folder', () => {
    const parsed = parseRunbook('---\ntitle: t\nowner: o\nlast_reviewed: 2026-12-01\nsteps: [declare]\ndrill_config: ../../etc/x.yml\n---\n', 'x.md');
    expect(parsed.problems.map((p) => p.message).join()).toMatch(/drill_config/);
  });
});

describe('aliases', () => {
  it('rewrite every occurrence, the longest name first, inside lists too', () => {
    const w = new RunbookWorld({ workDir: '/tmp', start: new Date() });
    w.alias('i-0123', 'i-aaaa');
    w.alias('i-0123456', 'i-bbbb');
    expect(w.rewrite('aws:instance:i-0123456 aws:instance:i-0123')).toBe('aws:instance:i-bbbb aws:instance:i-aaaa');
    expect(w.rewrite(['i-0123'])).toEqual(['i-aaaa']);
    expect(w.aliasList()).toHaveLength(2);
  });
});

describe('stamping last_tested', () => {
  it('adds it after last_reviewed, then replaces it, keeping the rest byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-stamp-'));
    const file = join(dir, 'r.md');
    const body = '\n# Title\n\nlast_tested: in prose is not front matter\n';
    await writeFile(file, `---\ntitle: t\nlast_reviewed: 2026-11-01\nsteps: [declare]\n---${body}`);
    await stampLastTested(file, '2026-12-02');
    expect(await readFile(file, 'utf8')).toBe(`---\ntitle: t\nlast_reviewed: 2026-11-01\nlast_tested: 2026-12-02\nsteps: [declare]\n---${body}`);
    await stampLastTested(file, '2026-12-09');
    expect(await readFile(file, 'utf8')).toBe(`---\ntitle: t\nlast_reviewed: 2026-11-01\nlast_tested: 2026-12-09\nsteps: [declare]\n---${body}`);
  });
});

describe('firebreak runbooks stamp (the scheduled drill pull request)', () => {
  const rb = (drill: boolean) => `---\ntitle: t\nowner: o\nlast_reviewed: 2026-11-01\nsteps: [declare]\n${drill ? 'drill:\n  - { step: declare, with: { title: t } }\n' : ''}---\n# t\n`;

  it('stamps drilled runbooks, and refuses the whole call (writing nothing) when one file is not a drilled runbook', async () => {
    const { main } = await import('../../cli/main.js');
    const { memoryIo } = await import('../../cli/io.js');
    const { manualClock } = await import('../../core/runtime.js');
    const dir = await mkdtemp(join(tmpdir(), 'fb-stamp-cli-'));
    await writeFile(join(dir, 'a.md'), rb(true));
    await writeFile(join(dir, 'b.md'), rb(false));
    const io = () => Object.assign(memoryIo({}, dir), { clock: manualClock('2026-12-02T10:00:00Z') });
    const refused = io();
    expect(await main(['runbooks', 'stamp', 'a.md', 'b.md'], refused)).toBe(2);
    expect(refused.err.join('\n')).toMatch(/b\.md has no drill plan/);
    expect(await readFile(join(dir, 'a.md'), 'utf8')).toBe(rb(true));
    for (const args of [['a.md', '--date', '2026-12-03'], ['a.md', '--date', '2026-02-30'], ['../x.md']]) {
      const o = io();
      expect(await main(['runbooks', 'stamp', ...args], o), args.join(' ')).toBe(2);
    }
    expect(await readFile(join(dir, 'a.md'), 'utf8')).toBe(rb(true));
    expect(await main(['runbooks', 'stamp', 'a.md'], io())).toBe(0);
    expect(await readFile(join(dir, 'a.md'), 'utf8')).toContain('last_reviewed: 2026-11-01\nlast_tested: 2026-12-02\n');
  });
});

describe('plan dates move to this week', () => {
  const fm = parseRunbook('---\ntitle: t\nowner: o\nlast_reviewed: 2026-12-01\nsteps: [declare]\ndrill:\n  - { step: declare, with: { title: "seen 2026-12-02", facts: "discovered_at: 2026-12-30T09:30:00-08:00\\nreported: 2026-12-02" } }\n  - { step: preserve-evidence, with: { targets: ["a"], from: "2026-12-02T10:00:00Z" } }\n---\n', 'x.md').frontMatter!;

  it('by whole weeks, so weekdays and times of day stay as written', async () => {
    const { weeksToNow, shiftPlan } = await import('./run.js');
    expect(weeksToNow(new Date('2026-12-02T09:30:00Z'), new Date('2026-12-02T07:00:00Z'))).toBe(-1);
    expect(weeksToNow(new Date('2026-12-02T09:30:00Z'), new Date('2026-12-16T10:00:00Z'))).toBe(2);
    const moved = shiftPlan(fm, 7);
    expect(moved.drill![0]!.with.facts).toBe('discovered_at: 2027-01-06T09:30:00-08:00\nreported: 2026-12-02');
    expect(moved.drill![0]!.with.title).toBe('seen 2026-12-02');
    expect(moved.drill![1]!.with.from).toBe('2026-12-09T10:00:00Z');
    expect(shiftPlan(fm, 0)).toBe(fm);
  });

  it('the drill clock then starts within the last week of now', async () => {
    const { weeksToNow, shiftPlan, drillStart } = await import('./run.js');
    for (const now of ['2026-12-02T07:00:00Z', '2027-03-15T23:59:00Z', '2026-11-01T00:00:00Z']) {
      const n = new Date(now);
      const start = drillStart(shiftPlan(fm, weeksToNow(drillStart(fm), n) * 7)).getTime();
      expect(n.getTime() - start, now).toBeGreaterThanOrEqual(0);
      expect(n.getTime() - start, now).toBeLessThan(7 * 86_400_000);
    }
  });
});

describe('every capability can be drilled in a runbook', () => {
  it('has a runbook fixture, except preflight (a laptop check of the kit, never a runbook step)', async () => {
    const { CAPABILITIES } = await import('../../capabilities/registry.js');
    const { RUNBOOK_FIXTURES } = await import('./fixtures.js');
    expect(CAPABILITIES.filter((c) => c.status === 'built' && !RUNBOOK_FIXTURES[c.slug]).map((c) => c.slug)).toEqual(['preflight']);
    expect(Object.keys(RUNBOOK_FIXTURES).filter((s) => s !== 'alert' && !CAPABILITIES.some((c) => c.slug === s))).toEqual([]);
  });
});
