import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
// @ts-expect-error plain ESM script without types
import { bundleOptions, DIST_PACKAGE_JSON } from '../scripts/build.mjs';
import { median, type Benchmark } from './bench.js';

/**
 * How fast the bundles get to work, against `node -e 0` spawn-to-exit, all three interleaved in the
 * same run (so background load hits them alike):
 * - the preflight action: spawning `node dist/preflight.js` (what action.yml's `runs.main` names, as
 *   the runner does, inputs in INPUT_*) to its FIRST HTTP request (STS GetCallerIdentity, sent to a
 *   loopback listener through AWS_ENDPOINT_URL). ratio_vs_node = median(action) / median(node);
 *   goal <= 2.0. The listener answers 503 and the action is killed once the request is seen: what
 *   is measured is module loading and setup (inputs, masking, config, client construction).
 * - the CLI: `bin/firebreak.js --version` spawn to exit (bin loads the bundle dist/cli.js).
 *   cli_ratio_vs_node = median(cli) / median(node); goal <= 2.5.
 * - for reference, no goal: bench/probes/sts-first-request.ts, the AWS SDK's STS client alone,
 *   bundled with the same options, to the same first request (sdk_only_ratio_vs_node). The action
 *   cannot start faster than this; the gap between the two is firebreak's own start-up.
 */
const RUNS = 9;
const ACTION = fileURLToPath(new URL('../dist/preflight.js', import.meta.url));
const CLI = fileURLToPath(new URL('../bin/firebreak.js', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SDK_PROBE = 'bench/probes/sts-first-request.ts';

/** Bundles the SDK-only probe into `dir` the way scripts/build.mjs bundles an action. */
async function buildSdkProbe(dir: string): Promise<string> {
  const outfile = join(dir, 'sts-first-request.js');
  try {
    await esbuild.build(bundleOptions(SDK_PROBE, outfile, ROOT));
  } finally {
    await esbuild.stop();
  }
  await writeFile(join(dir, 'package.json'), DIST_PACKAGE_JSON);
  return outfile;
}

function listen(onRequest: () => void): Promise<Server> {
  const server = createServer((req, res) => {
    onRequest();
    req.resume();
    res.writeHead(503, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Spawn → first request to `server`; kills the child then. */
async function timeToFirstRequest(env: Record<string, string>, seen: { resolve?: () => void }, script = ACTION): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: env.GITHUB_WORKSPACE });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    return await new Promise<number>((resolve, reject) => {
      seen.resolve = () => resolve(performance.now() - t0);
      child.once('exit', (code) => reject(new Error(`action exited (${code}) before any request: ${stderr.slice(0, 800)}`)));
      setTimeout(() => reject(new Error('no request within 30 s')), 30_000).unref();
    });
  } finally {
    seen.resolve = undefined;
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
  }
}

/** Spawn to exit of `node ...args`, which must succeed. */
function timeToExit(args: string[], env?: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore', env });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`node ${args.join(' ')} exited ${code}`))));
  });
}

/**
 * The baseline gets the same bare environment as the bundles. Inheriting this process's would be
 * unfair to them: NODE_EXTRA_CA_CERTS alone (set on some machines, not by GitHub's runners) makes
 * node parse a CA bundle at start, ~50 ms that `node -e 0` then pays and the bundles do not.
 */
const timeNodeNoop = () => timeToExit(['-e', '0'], { PATH: process.env.PATH ?? '', HOME: tmpdir() });

const bench: Benchmark = {
  name: 'cold-start',
  description: 'bundled preflight action (spawn to first HTTP request) and `firebreak --version` (spawn to exit), vs `node -e 0`',
  goal: { metric: 'ratio_vs_node', op: '<=', value: 2.0 },
  goals: [{ metric: 'cli_ratio_vs_node', op: '<=', value: 2.5 }],
  async run() {
    for (const file of [ACTION, join(CLI, '..', '..', 'dist', 'cli.js')]) if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
    const seen: { resolve?: (() => void) | undefined } = {};
    const server = await listen(() => seen.resolve?.());
    const workspace = await mkdtemp(join(tmpdir(), 'fb-bench-cold-'));
    try {
      await writeFile(join(workspace, 'out'), '');
      await writeFile(join(workspace, 'summary'), '');
      const probeDir = join(workspace, 'probe');
      await mkdir(probeDir);
      const sdkProbe = await buildSdkProbe(probeDir);
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        HOME: workspace,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: workspace,
        GITHUB_OUTPUT: join(workspace, 'out'),
        GITHUB_STEP_SUMMARY: join(workspace, 'summary'),
        GITHUB_ACTOR: 'bench',
        INPUT_APPLY: 'true',
        INPUT_CHECKS: 'aws',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_MAX_ATTEMPTS: '1',
      };
      // The CLI gets no FIREBREAK_DEV (or anything else) from this process: it runs the bundle.
      const cliEnv = { PATH: env.PATH!, HOME: workspace };
      const cliVersion = () => timeToExit([CLI, '--version'], cliEnv);
      // Warm the file cache.
      await timeToFirstRequest(env, seen);
      await timeToFirstRequest(env, seen, sdkProbe);
      await cliVersion();
      await timeNodeNoop();
      const action: number[] = [];
      const sdk: number[] = [];
      const cli: number[] = [];
      const node: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        node.push(await timeNodeNoop());
        action.push(await timeToFirstRequest(env, seen));
        sdk.push(await timeToFirstRequest(env, seen, sdkProbe));
        cli.push(await cliVersion());
      }
      const a = median(action);
      const n = median(node);
      const c = median(cli);
      const s = median(sdk);
      return {
        action_ms: Math.round(a),
        node_ms: Math.round(n),
        ratio_vs_node: a / n,
        sdk_only_ms: Math.round(s),
        sdk_only_ratio_vs_node: s / n,
        cli_version_ms: Math.round(c),
        cli_ratio_vs_node: c / n,
      };
    } finally {
      server.close();
      await rm(workspace, { recursive: true, force: true });
    }
  },
};

export default bench;
