import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MOTO_VERSION } from '../../src/drill/emulators/moto-install.js';

/** `.ci/run` fails early and clearly, and ci.yml runs exactly it. Only the pre-install checks run here. */
const ROOT = resolve(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, '.ci', 'run');

function ciRun(args: string[], env: Record<string, string>) {
  return spawnSync('bash', [SCRIPT, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', input: '' });
}

describe('.ci/run', () => {
  it('is executable and strict', () => {
    expect(statSync(SCRIPT).mode & 0o111).not.toBe(0);
    expect(readFileSync(SCRIPT, 'utf8')).toContain('set -euo pipefail');
  });

  it('stops before installing anything when an explicit MOTO_SERVER is missing, saying how to get it', () => {
    const r = ciRun([], { CI: 'true', MOTO_SERVER: '/nonexistent/moto_server' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("pip install 'moto[server]");
    expect(r.stdout).not.toContain('npm ci');
  });

  it('names the same moto pin as the installer and ci.yml, so a fresh machine and CI test the same moto', () => {
    const pins = (text: string) => [...text.matchAll(/moto\[server\]==([\d.]+)/g)].map((m) => m[1]);
    const script = pins(readFileSync(SCRIPT, 'utf8'));
    const ci = pins(readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8'));
    expect(script.length).toBeGreaterThan(0);
    expect(ci.length).toBeGreaterThan(0);
    expect(new Set([...script, ...ci, MOTO_VERSION])).toEqual(new Set([MOTO_VERSION]));
  });

  it('rejects unknown arguments', () => {
    const r = ciRun(['--fast'], { CI: 'true' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: .ci/run');
  });
});

describe('ci.yml', () => {
  it('runs .ci/run with CI=true after installing moto', () => {
    const wf = parse(readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Array<{ run?: string; env?: Record<string, string> }> }>;
    };
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const runIndex = steps.findIndex((s) => s.run === '.ci/run');
    expect(runIndex).toBeGreaterThan(0);
    expect(steps[runIndex]!.env?.CI).toBe('true');
    expect(steps.findIndex((s) => s.run?.includes("'moto[server]"))).toBeLessThan(runIndex);
  });
});
