import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/core/errors.js';
// @ts-expect-error plain ESM script without types
import { bundleOptions, DIST_PACKAGE_JSON } from '../../scripts/build.mjs';
import { inputEnvName, parseOutputFile, REPO_ROOT } from '../helpers/run-action.js';

/**
 * A probe action bundled with the exact options of scripts/build.mjs: its step throws whatever
 * INPUT_THROW names, and it seals a libsodium box first, so the bundle proves that non-Error throws
 * fail the process and that the ESM-only dependencies (@actions/core 3, libsodium-wrappers) load.
 */
const PROBE = `
import sodium from 'libsodium-wrappers';
import { runAction } from '${join(REPO_ROOT, 'src/runtime/action-shell.ts')}';

const values = { string: 'boom', object: {}, undefined: undefined, error: new Error('real error'), none: null };

await sodium.ready;
const keys = sodium.crypto_box_keypair();
const sealed = sodium.crypto_box_seal(sodium.from_string('s3cret-value'), keys.publicKey);
const opened = sodium.to_string(sodium.crypto_box_seal_open(sealed, keys.publicKey, keys.privateKey));
process.stdout.write('sodium:' + opened.length + '\\n');

await runAction({
  step: {
    name: 'probe',
    description: 'throws on demand',
    parse: (raw) => raw,
    plan: async () => ({ step: 'probe', changes: [{ target: 'probe:t', action: 'poke', subject: 'x' }], unchanged: [], warnings: [] }),
    apply: async (_plan, input) => {
      const kind = String(input.throw);
      if (kind === 'none') return [{ target: 'probe:t', action: 'poke', subject: 'x', status: 'applied' }];
      throw values[kind];
    },
  },
  readInputs: (read) => ({ throw: read.get('throw') }),
  buildPorts: () => ({}),
});
`;

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firebreak-probe-'));
  bundle = join(dir, 'dist', 'index.js');
  // Same options as every action; the entry comes from stdin so it resolves packages from the repo.
  const { entryPoints: _entry, ...options } = bundleOptions('unused.ts', bundle, REPO_ROOT);
  const res = await esbuild.build({ ...options, stdin: { contents: PROBE, resolveDir: REPO_ROOT, sourcefile: 'probe.ts', loader: 'ts' } });
  expect(res.errors).toEqual([]);
  await writeFile(join(dir, 'dist', 'package.json'), DIST_PACKAGE_JSON);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runProbe(kind: string): Promise<{ code: number | null; stdout: string; outputs: Record<string, string>; summary: string }> {
  const ws = await mkdtemp(join(dir, 'ws-'));
  const env = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: join(ws, 'out'),
    GITHUB_STEP_SUMMARY: join(ws, 'summary'),
    [inputEnvName('throw')]: kind,
    [inputEnvName('apply')]: 'true',
  };
  await writeFile(env.GITHUB_OUTPUT, '');
  await writeFile(env.GITHUB_STEP_SUMMARY, '');
  const child = spawn(process.execPath, [bundle], { cwd: ws, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.resume();
  const code = await new Promise<number | null>((res) => child.on('close', res));
  return { code, stdout, outputs: parseOutputFile(await readFile(env.GITHUB_OUTPUT, 'utf8')), summary: await readFile(env.GITHUB_STEP_SUMMARY, 'utf8') };
}

describe('a bundled action built like scripts/build.mjs', () => {
  it('runs ESM-only dependencies and succeeds when the step succeeds', async () => {
    const run = await runProbe('none');
    expect(run.stdout).toContain('sodium:12');
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('applied');
  });

  it.each(['string', 'object', 'undefined', 'error'])('exits non-zero when the step throws %s', async (kind) => {
    const run = await runProbe(kind);
    expect(run.code).toBe(EXIT_CODES.unexpected);
    expect(run.outputs.status).toBe('failed');
    expect(run.summary).toContain('**`UNEXPECTED`**');
    expect(run.stdout).toContain('::error::UNEXPECTED: ');
  });
});
