import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../core/errors.js';

/** `bin/firebreak.js` as installed: a plain node process running the bundle dist/cli.js, exit codes on the process. */
const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bin/firebreak.js', () => {
  it('prints the version', () => {
    const r = run(['--version']);
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe(version);
    expect(r.code).toBe(0);
  });

  it('exits with the error family code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-bin-'));
    try {
      writeFileSync(join(dir, 'firebreak.yml'), 'version: 1\nlimits: {max_changes_per_run: -1}\n');
      const bad = run(['config', 'check'], dir);
      expect(bad.code).toBe(EXIT_CODES.input);
      expect(bad.err).toMatch(/^firebreak\.yml:2:\d+ limits\.max_changes_per_run: /);
      // The bundle keeps class names: a --json error names its class, not a minified identifier.
      const json = JSON.parse(run(['config', 'check', '--json'], dir).out) as { error: { name: string } };
      expect(json.error.name).toBe('ConfigError');
      writeFileSync(join(dir, 'a.jsonl'), '{"seq":1}\n');
      expect(run(['audit', 'verify', 'a.jsonl'], dir).code).toBe(EXIT_CODES.audit);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
