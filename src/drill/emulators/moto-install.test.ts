import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeStubPython } from '../../../test/helpers/stub-python.js';
import { discoverMoto, ensureMoto, MOTO_REQUIREMENT, MotoNotInstalledError, motoVenvDir } from './moto-install.js';

let root: string;
let log: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'firebreak-moto-install-'));
  log = join(root, 'python.log');
  writeFileSync(log, '');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function executable(path: string, body = '#!/bin/sh\necho moto\n'): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

const failure = async (p: Promise<unknown>): Promise<MotoNotInstalledError> => {
  const e = await p.then(() => expect.unreachable('should have failed'), (err: unknown) => err);
  expect(e).toBeInstanceOf(MotoNotInstalledError);
  return e as MotoNotInstalledError;
};

describe('discovering moto: MOTO_SERVER, then PATH, then the project-local venv', () => {
  it('an explicit MOTO_SERVER wins over PATH and the venv', () => {
    const explicit = executable(join(root, 'explicit', 'moto_server'));
    const onPath = executable(join(root, 'bin', 'moto_server'));
    executable(join(motoVenvDir({ root, env: {} }), 'bin', 'moto_server'));
    expect(discoverMoto({ root, env: { MOTO_SERVER: explicit, PATH: join(root, 'bin') } })).toEqual({ path: explicit, source: 'MOTO_SERVER' });
    expect(discoverMoto({ root, env: { PATH: join(root, 'bin') } })).toEqual({ path: onPath, source: 'PATH' });
  });

  it('a MOTO_SERVER that is not an executable is refused, not silently replaced by the one on PATH', () => {
    executable(join(root, 'bin', 'moto_server'));
    expect(() => discoverMoto({ root, env: { MOTO_SERVER: join(root, 'missing', 'moto_server'), PATH: join(root, 'bin') } })).toThrow(/MOTO_SERVER is set to .*missing\/moto_server, which is not an executable/);
  });

  it('PATH entries that are not executable do not count', () => {
    writeFileSync(join(root, 'moto_server'), 'not executable');
    expect(discoverMoto({ root, env: { PATH: root } })).toBeUndefined();
  });

  it('the venv counts only when it was installed with the current pin (a marker), not a half-made one', () => {
    const venv = motoVenvDir({ root, env: {} });
    executable(join(venv, 'bin', 'moto_server'));
    expect(discoverMoto({ root, env: { PATH: '' } })).toBeUndefined();
    writeFileSync(join(venv, 'firebreak-moto.json'), JSON.stringify({ requirement: 'moto[server]==5.0.0' }));
    expect(discoverMoto({ root, env: { PATH: '' } })).toBeUndefined();
    writeFileSync(join(venv, 'firebreak-moto.json'), JSON.stringify({ requirement: MOTO_REQUIREMENT }));
    expect(discoverMoto({ root, env: { PATH: '' } })).toEqual({ path: join(venv, 'bin', 'moto_server'), source: 'local venv' });
  });

  it('FIREBREAK_MOTO_VENV moves the venv (relative to the root)', () => {
    expect(motoVenvDir({ root, env: { FIREBREAK_MOTO_VENV: 'cache/venv' } })).toBe(join(root, 'cache', 'venv'));
  });
});

describe('installing moto into the project-local venv (python stubbed at the process boundary)', () => {
  it('creates the venv, pip-installs the pinned moto into it, streams progress, and is found next time', async () => {
    const bin = join(root, 'pybin');
    writeStubPython(bin, { pip: 'ok', log });
    const lines: string[] = [];
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    const found = await ensureMoto({ root, env, onProgress: (l) => lines.push(l) });
    const venv = motoVenvDir({ root, env });
    expect(found).toEqual({ path: join(venv, 'bin', 'moto_server'), source: 'local venv' });
    expect(readFileSync(log, 'utf8')).toContain(`-m pip install --disable-pip-version-check --no-input ${MOTO_REQUIREMENT}`);
    expect(lines.some((l) => l.includes('creating a project-local venv'))).toBe(true);
    expect(lines.some((l) => l.includes(`Successfully installed ${MOTO_REQUIREMENT}`))).toBe(true);
    // A second call discovers it without running Python again.
    writeFileSync(log, '');
    expect(await ensureMoto({ root, env })).toEqual(found);
    expect(readFileSync(log, 'utf8')).toBe('');
  });

  it('an unreachable package index: a clear error with the exact commands, and no half-made venv left', async () => {
    const bin = join(root, 'pybin');
    writeStubPython(bin, { pip: 'unreachable', log });
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    const e = await failure(ensureMoto({ root, env, onProgress: () => {} }));
    expect(e.message).toMatch(/installing moto\[server\]==5\.2\.1 failed \(is the Python package index reachable\?\)/);
    expect(e.message).toContain('No matching distribution found');
    expect(e.command).toBe(`${join(bin, 'python3')} -m venv .firebreak/moto-venv && .firebreak/moto-venv/bin/python -m pip install '${MOTO_REQUIREMENT}'`);
    expect(existsSync(motoVenvDir({ root, env }))).toBe(false);
  });

  it('no Python at all: the error names the command to run and installs nothing', async () => {
    const e = await failure(ensureMoto({ root, env: { PATH: join(root, 'empty') } }));
    expect(e.message).toMatch(/no Python 3\.9\+ \(python3 or python\) is on PATH/);
    expect(e.command).toBe(`python3 -m venv .firebreak/moto-venv && .firebreak/moto-venv/bin/python -m pip install '${MOTO_REQUIREMENT}'`);
    expect(existsSync(join(root, '.firebreak'))).toBe(false);
  });

  it('a Python older than moto supports is not used', async () => {
    const bin = join(root, 'pybin');
    writeStubPython(bin, { pip: 'ok', log, version: '3.8' });
    await failure(ensureMoto({ root, env: { PATH: bin } }));
    expect(readFileSync(log, 'utf8')).not.toContain('venv');
  });

  it('installing can be turned off (FIREBREAK_NO_MOTO_INSTALL=1): the error says what to run', async () => {
    const bin = join(root, 'pybin');
    writeStubPython(bin, { pip: 'ok', log });
    const e = await failure(ensureMoto({ root, env: { PATH: bin, FIREBREAK_NO_MOTO_INSTALL: '1' } }));
    expect(e.message).toContain('automatic install is off');
    expect(readFileSync(log, 'utf8')).toBe('');
  });
});
