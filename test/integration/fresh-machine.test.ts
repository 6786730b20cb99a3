import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOnPath, MOTO_REQUIREMENT } from '../../src/drill/emulators/moto-install.js';
import { writeStubPython } from '../helpers/stub-python.js';

/**
 * Issue 19: on a machine with Node and Python but no moto, `npm run drill` installs the pinned moto
 * into a project-local venv and goes on; without a reachable index it stops with the command to run.
 * PATH is stripped of moto; only `python3` is stubbed (at the process boundary), the rest is real.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
let dir: string;

function realMoto(): string {
  const onPath = findOnPath('moto_server', process.env);
  if (!onPath) throw new Error('this test needs moto_server on PATH to stand in for the installed one');
  // pyenv shims need pyenv's own PATH; point at the real script when pyenv is how it got there.
  const which = spawnSync('pyenv', ['which', 'moto_server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : onPath;
}

function drill(pip: 'ok' | 'unreachable') {
  const bin = join(dir, 'bin');
  const log = join(dir, 'python.log');
  writeStubPython(bin, { pip, log, realMoto: realMoto() });
  const env: NodeJS.ProcessEnv = {
    PATH: [bin, '/usr/local/bin', '/usr/bin', '/bin'].filter((p) => !findOnPath('moto_server', { PATH: p }) || p === bin).join(':'),
    HOME: dir,
    FIREBREAK_MOTO_VENV: join(dir, 'venv'),
  };
  expect(findOnPath('moto_server', env), 'the stripped PATH must not find moto').toBeUndefined();
  const r = spawnSync(process.execPath, [TSX, 'src/drill/main.ts', 'audit-trail'], { cwd: ROOT, env, encoding: 'utf8', timeout: 110_000 });
  return { ...r, log: readFileSync(log, 'utf8'), env };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'firebreak-fresh-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a fresh machine without moto', () => {
  it('the drill installs the pinned moto into the project-local venv, with progress, then drills green', () => {
    const r = drill('ok');
    expect(r.stderr).toContain('moto: creating a project-local venv');
    expect(r.stderr).toContain(`moto: installing ${MOTO_REQUIREMENT}`);
    expect(r.log).toContain(`-m pip install --disable-pip-version-check --no-input ${MOTO_REQUIREMENT}`);
    expect(existsSync(join(dir, 'venv', 'firebreak-moto.json'))).toBe(true);
    expect(r.stdout).toMatch(/audit-trail/);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });

  it('with the index unreachable, the drill stops and prints the exact commands, leaving no venv', () => {
    const r = drill('unreachable');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('drill aborted: moto: installing moto[server]==5.2.1 failed (is the Python package index reachable?)');
    expect(r.stdout).toContain(`-m venv ${join(dir, 'venv')} && ${join(dir, 'venv', 'bin', 'python')} -m pip install '${MOTO_REQUIREMENT}'`);
    expect(existsSync(join(dir, 'venv'))).toBe(false);
  });
});
