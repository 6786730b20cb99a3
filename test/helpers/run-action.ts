import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * Runs a bundled action the way the runner does: `node <runs.main of action.yml>` (resolved from
 * the action's folder, e.g. `actions/<slug>/../../dist/<slug>.js`) with inputs as
 * `INPUT_<NAME>` (upper-cased, spaces to underscores, hyphens kept) and the GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files the runner provides. Nothing else from this process's env leaks in.
 */
export interface BundledRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The workspace the action ran in (holds `.firebreak/audit.jsonl` unless overridden). */
  workspace: string;
}

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** The file the runner executes for an action: action.yml's `runs.main`, relative to its folder. */
export async function actionMain(actionDir: string): Promise<string> {
  const meta = parse(await readFile(join(actionDir, 'action.yml'), 'utf8')) as { runs?: { main?: unknown } };
  if (typeof meta.runs?.main !== 'string') throw new Error(`${actionDir}/action.yml has no runs.main`);
  return resolve(actionDir, meta.runs.main);
}

export async function runBundledAction(opts: {
  slug: string;
  /** A checkout of the repository other than this one (e.g. a copy of the published files). */
  repoRoot?: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  workspace?: string;
  timeoutMs?: number;
}): Promise<BundledRun> {
  const workspace = opts.workspace ?? (await mkdtemp(join(tmpdir(), `firebreak-${opts.slug}-`)));
  const outputFile = join(workspace, 'github_output');
  const summaryFile = join(workspace, 'github_step_summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: workspace,
    ...opts.env,
  };
  for (const [k, v] of Object.entries(opts.inputs ?? {})) env[inputEnvName(k)] = v;
  const script = await actionMain(join(opts.repoRoot ?? REPO_ROOT, 'actions', opts.slug));
  const child = spawn(process.execPath, [script], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exitCode = await new Promise<number | null>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`action ${opts.slug} did not finish in ${opts.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res(code);
    });
  });
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    workspace,
  };
}

/** Parses `name<<DELIM\nvalue\nDELIM` and `name=value` lines as the runner does. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`output ${name} has no closing delimiter`);
      out[name!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`malformed output line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
