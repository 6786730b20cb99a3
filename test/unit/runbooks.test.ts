import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

// The repository's own runbooks must reference only steps, workflows and actions that exist.
// Review and drill dates are checked too, but only reported here: the scheduled drill fails on stale ones,
// so a calendar date alone never turns a pull request red.
describe('runbooks/ in this repository', () => {
  it('has at least one runbook and every one checks clean', async () => {
    const files = readdirSync('runbooks').filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md');
    expect(files.length).toBeGreaterThan(0);
    const io = memoryIo(process.env, process.cwd());
    const code = await main(['--json', 'runbooks', 'check', 'runbooks', '--allow-stale'], io);
    const report = JSON.parse(io.out.join('')) as { ok: boolean; runbooks: number; problems: Array<{ kind: string }> };
    expect(report.problems.filter((p) => p.kind !== 'stale' && p.kind !== 'untested')).toEqual([]);
    expect(report).toMatchObject({ ok: true, runbooks: files.length });
    expect(code).toBe(0);
  });
});
