import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_HEAD, sealRecord, type AuditRecord, type ChainHead } from '../../src/core/audit.js';
import { EXIT_CODES } from '../../src/core/errors.js';
import { REPO_ROOT } from '../helpers/run-action.js';

/**
 * `bin/firebreak.js` runs the CLI bundle dist/cli.js: proven on a copy of the package that holds
 * only bin/, dist/ and package.json (no node_modules for tsx or the SDKs, no src/ to transpile).
 */
let tmp: string;
let pkg: string;
const version = (JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function run(root: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'firebreak.js'), ...args], {
    cwd: opts.cwd ?? tmp,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: tmp, ...opts.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'firebreak-cli-'));
  pkg = join(tmp, 'pkg');
  await mkdir(pkg);
  for (const part of ['bin', 'dist', 'package.json']) await cp(join(REPO_ROOT, part), join(pkg, part), { recursive: true });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A valid chain of `count` records of about `pad` bytes each. */
function chain(count: number, pad: number): { text: string; head: ChainHead } {
  let head = EMPTY_HEAD;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const record: AuditRecord = { v: 1, time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), incidentId: 'INC-1', actor: 'octo', runUrl: null, step: 'preflight', status: 'planned', dryRun: true, input: { note: 'x'.repeat(pad) }, plan: null, result: null, error: null };
    const { entry, line } = sealRecord(head, record);
    head = { seq: entry.seq, hash: entry.hash };
    lines.push(line);
  }
  return { text: `${lines.join('\n')}\n`, head };
}

describe('the bundled CLI', () => {
  it('prints the version from a copy with no node_modules and no sources', () => {
    const r = run(pkg, ['--version']);
    expect(r.err).toBe('');
    expect(r.out).toBe(`${version}\n`);
    expect(r.code).toBe(0);
  });

  it('checks a config and reports a bad one with its family exit code', async () => {
    const dir = await mkdtemp(join(tmp, 'cfg-'));
    await writeFile(join(dir, 'firebreak.yml'), 'version: 1\nlimits: {max_changes_per_run: -1}\n');
    const bad = run(pkg, ['config', 'check'], { cwd: dir });
    expect(bad.code).toBe(EXIT_CODES.input);
    expect(bad.err).toMatch(/^firebreak\.yml:2:\d+ limits\.max_changes_per_run: /);
  });

  it('verifies a chain large enough for the parallel scan (worker file dist/audit-scan.mjs), and finds an edit', async () => {
    // Over the 16 MiB threshold of src/providers/local/verify-file.ts, so each range is scanned in
    // a worker_threads Worker loaded from next to the bundle (on a machine with more than one core).
    const { text, head } = chain(9000, 2000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(16 << 20);
    const dir = await mkdtemp(join(tmp, 'audit-'));
    await writeFile(join(dir, 'audit.jsonl'), text);
    const ok = run(pkg, ['audit', 'verify', 'audit.jsonl', '--head', `${head.seq}:${head.hash}`], { cwd: dir });
    expect(ok.err).toBe('');
    expect(ok.out).toContain(`ok audit.jsonl: 9000 record(s), head ${head.seq}:${head.hash}`);
    expect(ok.code).toBe(0);

    const lines = text.split('\n');
    lines[7000] = lines[7000]!.replace('"actor":"octo"', '"actor":"mallory"');
    await writeFile(join(dir, 'edited.jsonl'), lines.join('\n'));
    const edited = run(pkg, ['audit', 'verify', 'edited.jsonl'], { cwd: dir });
    expect(edited.code).toBe(EXIT_CODES.audit);
    expect(edited.err).toContain('edited.jsonl:7001: record 7001 does not chain');
  });

  it('says how to build when dist/cli.js is missing', async () => {
    const bare = join(tmp, 'bare');
    await mkdir(bare);
    for (const part of ['bin', 'package.json']) await cp(join(REPO_ROOT, part), join(bare, part), { recursive: true });
    const r = run(bare, ['--version']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: dist/cli.js is missing. Run `npm run build`, or FIREBREAK_DEV=1 to run the sources.\n');
  });

  it('runs the TypeScript sources through tsx with FIREBREAK_DEV=1 (the repository, not the copy)', () => {
    const dev = run(REPO_ROOT, ['--version'], { env: { FIREBREAK_DEV: '1' } });
    expect(dev.err).toBe('');
    expect(dev.out).toBe(`${version}\n`);
    // The copy has neither tsx nor src/: the dev path there fails, which shows the default path does not use them.
    const copy = run(pkg, ['--version'], { env: { FIREBREAK_DEV: '1' } });
    expect(copy.code).not.toBe(0);
    expect(copy.err).toContain("Cannot find package 'tsx'");
  });
});
