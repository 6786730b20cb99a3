import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile, inputEnvName } from './run-action.js';

/**
 * Runs an action's `run()` in this process the way the runner would start it: `process.env` holds
 * exactly `env`, the inputs as `INPUT_*`, and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files; what
 * the action writes to stdout (its log, `::add-mask::` and `::error::` commands) is captured.
 * Restores the environment, cwd and stdout afterwards. Runs are serialised: process state is shared.
 */
export interface InProcessRun<R> {
  result: R;
  /** Everything written to stdout, `::add-mask::` lines removed (the runner hides them too). */
  stdout: string;
  /** The values the action asked the runner to mask. */
  masked: string[];
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

let queue: Promise<unknown> = Promise.resolve();

export function runActionInProcess<R>(run: () => Promise<R>, opts: { inputs: Record<string, string>; env: Record<string, string | undefined>; workspace?: string }): Promise<InProcessRun<R>> {
  const next = queue.then(() => once(run, opts));
  queue = next.catch(() => undefined);
  return next;
}

async function once<R>(run: () => Promise<R>, opts: { inputs: Record<string, string>; env: Record<string, string | undefined>; workspace?: string }): Promise<InProcessRun<R>> {
  const workspace = opts.workspace ?? (await mkdtemp(join(tmpdir(), 'firebreak-action-')));
  const outputFile = join(workspace, `github_output_${Date.now()}_${Math.random().toString(36).slice(2)}`);
  const summaryFile = `${outputFile}.summary`;
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const savedEnv = process.env;
  const savedCwd = process.cwd();
  const savedExit = process.exitCode;
  const env: NodeJS.ProcessEnv = { PATH: savedEnv.PATH, HOME: workspace, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: workspace };
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(opts.inputs)) env[inputEnvName(k)] = v;
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  process.env = env;
  process.chdir(workspace);
  let result: R;
  try {
    result = await run();
  } finally {
    process.stdout.write = write;
    process.env = savedEnv;
    process.chdir(savedCwd);
    process.exitCode = savedExit;
  }
  const all = chunks.join('');
  const masked: string[] = [];
  const stdout = all
    .split('\n')
    .filter((line) => {
      const m = /^::add-mask::(.*)$/.exec(line);
      if (m) masked.push(m[1]!);
      return !m;
    })
    .join('\n');
  return { result, stdout, masked, outputs: parseOutputFile(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8'), workspace };
}
