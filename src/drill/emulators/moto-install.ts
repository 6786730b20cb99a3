import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ENV } from '../../runtime/env.js';

/**
 * Finds moto's server, and on a machine without it installs the pinned version into a venv inside
 * the project: never a global install, never at `npm ci` time (only when a drill or the integration
 * tests need it). The one pin lives here; .ci/run and the docs name the same version.
 *
 * Discovery order, first match wins:
 * 1. `MOTO_SERVER` when set: an explicit choice is honoured or refused, never silently replaced;
 * 2. `moto_server` on `PATH` (CI images and developer machines that installed it);
 * 3. the project-local venv (`.firebreak/moto-venv`, or `FIREBREAK_MOTO_VENV`).
 */
export const MOTO_VERSION = '5.2.1';
export const MOTO_REQUIREMENT = `moto[server]==${MOTO_VERSION}`;
/** moto 5.2 supports Python 3.9 and newer. */
const MIN_PYTHON: readonly [number, number] = [3, 9];

export type MotoSource = 'MOTO_SERVER' | 'PATH' | 'local venv';

export interface MotoLocation {
  path: string;
  source: MotoSource;
}

export interface MotoDiscoveryOptions {
  env?: NodeJS.ProcessEnv;
  /** The project root the venv lives under (default: the current directory). */
  root?: string;
}

export class MotoNotInstalledError extends Error {
  readonly code = 'moto-not-installed';
  /** The exact commands that would fix it, for a responder to paste. */
  readonly command: string;
  constructor(message: string, command: string) {
    super(`${message}\n  to install it yourself:\n    ${command}\n  or set MOTO_SERVER to an existing moto_server.`);
    this.name = 'MotoNotInstalledError';
    this.command = command;
  }
}

export function motoVenvDir(opts: MotoDiscoveryOptions = {}): string {
  const env = opts.env ?? process.env;
  const root = opts.root ?? process.cwd();
  return env[ENV.motoVenv] ? resolve(root, env[ENV.motoVenv]!) : join(root, '.firebreak', 'moto-venv');
}

const venvBin = (venv: string, name: string) => (process.platform === 'win32' ? join(venv, 'Scripts', `${name}.exe`) : join(venv, 'bin', name));
const MARKER = 'firebreak-moto.json';

/** The commands a person would run, relative to the root when the venv is inside it. */
export function installCommand(venv: string, root: string, python = 'python3'): string {
  const rel = relative(root, venv);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : venv;
  return `${python} -m venv ${shown} && ${venvBin(shown, 'python')} -m pip install '${MOTO_REQUIREMENT}'`;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `command -v` without a shell: the first executable `name` on the given PATH. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function venvIsCurrent(venv: string): boolean {
  try {
    const marker = JSON.parse(readFileSync(join(venv, MARKER), 'utf8')) as { requirement?: string };
    return marker.requirement === MOTO_REQUIREMENT && isExecutable(venvBin(venv, 'moto_server'));
  } catch {
    return false;
  }
}

export function discoverMoto(opts: MotoDiscoveryOptions = {}): MotoLocation | undefined {
  const env = opts.env ?? process.env;
  const root = opts.root ?? process.cwd();
  const explicit = env.MOTO_SERVER;
  if (explicit !== undefined && explicit !== '') {
    const path = explicit.includes('/') ? resolve(root, explicit) : findOnPath(explicit, env);
    if (path && isExecutable(path)) return { path, source: 'MOTO_SERVER' };
    throw new MotoNotInstalledError(`MOTO_SERVER is set to ${explicit}, which is not an executable; unset it to let firebreak find or install moto.`, installCommand(motoVenvDir(opts), root));
  }
  const onPath = findOnPath('moto_server', env);
  if (onPath) return { path: onPath, source: 'PATH' };
  const venv = motoVenvDir(opts);
  if (venvIsCurrent(venv)) return { path: venvBin(venv, 'moto_server'), source: 'local venv' };
  return undefined;
}

export interface EnsureMotoOptions extends MotoDiscoveryOptions {
  /** Progress lines (what is being done, pip's own output). */
  onProgress?: (line: string) => void;
  /** Default true; `FIREBREAK_NO_MOTO_INSTALL=1` also turns it off. */
  allowInstall?: boolean;
}

interface RunResult {
  code: number | null;
  output: string;
  spawnError?: NodeJS.ErrnoException;
}

/** Runs a process with arguments (no shell), streaming its output lines to `onLine`. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    let output = '';
    let pending = '';
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-8_000);
      pending += text;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (spawnError: NodeJS.ErrnoException) => resolvePromise({ code: null, output, spawnError }));
    child.on('close', (code) => {
      if (pending.trim()) onLine(pending);
      resolvePromise({ code, output });
    });
  });
}

async function findPython(env: NodeJS.ProcessEnv): Promise<{ path: string; version: string } | undefined> {
  for (const name of ['python3', 'python']) {
    const path = findOnPath(name, env);
    if (!path) continue;
    const probe = await run(path, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], env, () => {});
    const version = probe.output.trim().split(/\s+/).pop() ?? '';
    const [major, minor] = version.split('.').map(Number);
    if (probe.code === 0 && major !== undefined && minor !== undefined && (major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]))) return { path, version };
  }
  return undefined;
}

/**
 * Installs the pinned moto into the project-local venv. A failed install leaves no half-made venv
 * behind (the next run starts clean), and the error carries the exact commands to run by hand.
 */
export async function installMoto(opts: EnsureMotoOptions = {}): Promise<MotoLocation> {
  const env = opts.env ?? process.env;
  const root = opts.root ?? process.cwd();
  const venv = motoVenvDir(opts);
  const progress = opts.onProgress ?? (() => {});
  const python = await findPython(env);
  if (!python) {
    throw new MotoNotInstalledError(
      `moto_server is not installed and no Python ${MIN_PYTHON.join('.')}+ (python3 or python) is on PATH to install it into ${venv}.`,
      installCommand(venv, root),
    );
  }
  const command = installCommand(venv, root, python.path);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(dirname(venv), { recursive: true });
  progress(`moto: creating a project-local venv at ${venv} with Python ${python.version} (${python.path})`);
  const created = await run(python.path, ['-m', 'venv', venv], env, (l) => progress(`  ${l}`));
  if (created.code !== 0) {
    rmSync(venv, { recursive: true, force: true });
    const why = /ensurepip|venv/.test(created.output) ? ' (on Debian/Ubuntu the venv module is the python3-venv package)' : '';
    throw new MotoNotInstalledError(`moto: \`${python.path} -m venv\` failed${why}: ${created.output.trim().split('\n').pop() ?? created.spawnError?.message ?? ''}`, command);
  }
  progress(`moto: installing ${MOTO_REQUIREMENT} into it (this takes a minute the first time)`);
  const installed = await run(venvBin(venv, 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', MOTO_REQUIREMENT], env, (l) => progress(`  ${l}`));
  if (installed.code !== 0 || !isExecutable(venvBin(venv, 'moto_server'))) {
    rmSync(venv, { recursive: true, force: true });
    const last = installed.output.trim().split('\n').filter(Boolean).slice(-2).join(' / ') || installed.spawnError?.message || 'no output';
    throw new MotoNotInstalledError(`moto: installing ${MOTO_REQUIREMENT} failed (is the Python package index reachable?): ${last}`, command);
  }
  writeFileSync(join(venv, MARKER), `${JSON.stringify({ requirement: MOTO_REQUIREMENT, python: python.version, installedAt: new Date().toISOString() })}\n`);
  progress(`moto: installed ${MOTO_REQUIREMENT} at ${venvBin(venv, 'moto_server')}`);
  return { path: venvBin(venv, 'moto_server'), source: 'local venv' };
}

/** Discovers moto, installing it into the project-local venv when it is nowhere to be found. */
export async function ensureMoto(opts: EnsureMotoOptions = {}): Promise<MotoLocation> {
  const found = discoverMoto(opts);
  if (found) return found;
  const env = opts.env ?? process.env;
  const allow = opts.allowInstall ?? env[ENV.noMotoInstall] !== '1';
  if (!allow) {
    throw new MotoNotInstalledError('moto_server is not on PATH, MOTO_SERVER is not set and there is no project-local venv (automatic install is off).', installCommand(motoVenvDir(opts), opts.root ?? process.cwd()));
  }
  return installMoto(opts);
}

