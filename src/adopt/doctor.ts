import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { CAPABILITIES } from '../capabilities/registry.js';
import type { CapabilityDefinition } from '../capabilities/types.js';
import { parseConfig } from '../core/config/parse.js';
import { ConfigError } from '../core/errors.js';
import { KIT_VARIABLES } from '../core/names.js';
import { checkRunbook, parseRunbook } from '../core/runbook.js';
import { checkWorkflow } from '../workflow-rules/rules.js';

/**
 * `firebreak doctor`: is this repository ready for its first incident? Each check says ok, fail,
 * warn or skip (and why), so a team sees everything that is missing in one run, not one at a time.
 */
export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip';

export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  details: string[];
}

export interface DoctorPorts {
  root: string;
  today: Date;
  /** Command names the CLI knows (runbook steps must be among them). */
  commands: ReadonlySet<string>;
  /** With a token: environments and variables are read from GitHub. */
  github?: { octokit: Octokit; owner: string; repo: string };
  /** With AWS credentials: assume the responder role (returns the assumed identity's ARN). */
  assumeRole?: (roleArn: string) => Promise<string>;
  /** The role to try when GitHub is not asked (or has no variable). */
  roleArn?: string;
}

const REUSABLE_USE = /^\s*uses:\s*([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)\/\.github\/workflows\/reusable-([a-z0-9-]+)\.ya?ml@(\S+)/gm;

interface Caller {
  file: string;
  slug: string;
  ref: string;
}

function workflowFiles(root: string): string[] {
  const dir = join(root, '.github', 'workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join('.github', 'workflows', f));
}

function callersOf(root: string): Caller[] {
  return workflowFiles(root).flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(REUSABLE_USE)].map((m) => ({ file, slug: m[2]!, ref: m[3]! })));
}

function checkConfig(root: string): DoctorCheck {
  const file = join(root, 'firebreak.yml');
  if (!existsSync(file)) return { name: 'config', status: 'fail', details: ['firebreak.yml is missing: run `firebreak init`'] };
  try {
    parseConfig(readFileSync(file), 'firebreak.yml');
    return { name: 'config', status: 'ok', details: ['firebreak.yml is valid'] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { name: 'config', status: 'fail', details: error.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.field}: ${p.message}`) };
  }
}

function checkWorkflows(root: string, callers: Caller[]): DoctorCheck {
  const files = workflowFiles(root);
  if (files.length === 0) return { name: 'workflows', status: 'fail', details: ['no workflows in .github/workflows: run `firebreak init`'] };
  const findings = files.flatMap((f) => checkWorkflow(f, readFileSync(join(root, f), 'utf8')));
  const details = findings.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`);
  if (callers.length === 0) details.push('no workflow calls a firebreak reusable workflow');
  const refs = new Set(callers.map((c) => c.ref));
  if (refs.size > 1) details.push(`callers pin different firebreak commits (${[...refs].join(', ')}): upgrade them together with \`firebreak init\``);
  if (details.length) return { name: 'workflows', status: 'fail', details };
  return { name: 'workflows', status: 'ok', details: [`${files.length} workflow(s) pass the workflow rules; ${callers.length} firebreak button(s) pinned to ${[...refs][0]}`] };
}

function checkRunbooks(p: DoctorPorts): DoctorCheck {
  const dir = join(p.root, 'runbooks');
  if (!existsSync(dir)) return { name: 'runbooks', status: 'warn', details: ['no runbooks/ directory: `firebreak init` can start one from firebreak\'s incident-type runbooks'] };
  const files = readdirSync(dir).filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md').sort();
  const problems = files.flatMap((f) =>
    checkRunbook(parseRunbook(readFileSync(join(dir, f), 'utf8'), `runbooks/${f}`), { commands: p.commands, exists: (path) => existsSync(resolve(p.root, path)), today: p.today }),
  );
  if (problems.length) return { name: 'runbooks', status: 'fail', details: problems.map((x) => `${x.file}:${x.line} ${x.kind}: ${x.message}`) };
  return { name: 'runbooks', status: 'ok', details: [`${files.length} runbook(s) reference real steps and are reviewed on time`] };
}

/** The environments the buttons run in, and the kit variables each needs, from the callers found. */
function needs(callers: Caller[]): Map<string, Set<string>> {
  const byEnv = new Map<string, Set<string>>();
  for (const c of callers) {
    const cap = CAPABILITIES.find((x): x is CapabilityDefinition => x.slug === c.slug);
    if (!cap || !cap.workflow) continue;
    const env = cap.workflow.environment === 'pick' ? 'incident' : cap.workflow.environment.name;
    const vars = byEnv.get(env) ?? new Set<string>();
    for (const k of cap.kitVariables) vars.add(KIT_VARIABLES[k]);
    byEnv.set(env, vars);
  }
  return byEnv;
}

async function status(fn: () => Promise<unknown>): Promise<number> {
  try {
    await fn();
    return 200;
  } catch (error) {
    const s = (error as { status?: number }).status;
    if (typeof s === 'number') return s;
    throw error;
  }
}

async function checkGitHub(p: DoctorPorts, callers: Caller[]): Promise<{ check: DoctorCheck; roleArn: string | undefined }> {
  if (!p.github) return { check: { name: 'github', status: 'skip', details: ['no GITHUB_TOKEN: environments and variables not checked (pass a token to check them)'] }, roleArn: undefined };
  const { octokit, owner, repo } = p.github;
  const details: string[] = [];
  let failed = false;
  let roleArn: string | undefined;
  for (const [environment, vars] of needs(callers)) {
    let env: { protection_rules?: Array<{ type: string }> } | undefined;
    try {
      env = (await octokit.rest.repos.getEnvironment({ owner, repo, environment_name: environment })).data as typeof env;
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
    if (!env) {
      failed = true;
      details.push(`environment ${environment} does not exist: \`pulumi up\` the kit with firebreak:github.repository = ${owner}/${repo}`);
      continue;
    }
    const reviewers = (env.protection_rules ?? []).some((r) => r.type === 'required_reviewers');
    if (environment === 'incident' && !reviewers) {
      failed = true;
      details.push('environment incident has no required reviewers: production changes would run unapproved (docs/operators/required-reviewers.md)');
    }
    const missing: string[] = [];
    for (const name of [...vars].sort()) {
      const code = await status(async () => {
        const v = await octokit.rest.actions.getEnvironmentVariable({ owner, repo, environment_name: environment, name });
        if (name === KIT_VARIABLES.responderRoleArn) roleArn = v.data.value;
      });
      if (code === 404) missing.push(name);
      else if (code !== 200) throw new Error(`GitHub answered HTTP ${code} reading variable ${name} of ${environment}`);
    }
    if (missing.length) {
      failed = true;
      details.push(`environment ${environment} lacks ${missing.join(', ')}: \`pulumi up\` writes them`);
    } else details.push(`environment ${environment}: ${reviewers ? 'required reviewers, ' : ''}${vars.size} kit variable(s) present`);
  }
  return { check: { name: 'github', status: failed ? 'fail' : 'ok', details }, roleArn };
}

async function checkRole(p: DoctorPorts, roleArn: string | undefined): Promise<DoctorCheck> {
  const arn = p.roleArn ?? roleArn;
  if (!p.assumeRole) return { name: 'aws-role', status: 'skip', details: ['no AWS credentials: the responder role was not tried (run `firebreak preflight` from a job, or pass credentials)'] };
  if (!arn) return { name: 'aws-role', status: 'skip', details: ['no responder role ARN (pass --role-arn, or a GitHub token so it is read from the environment)'] };
  try {
    const as = await p.assumeRole(arn);
    return { name: 'aws-role', status: 'ok', details: [`assumed ${arn} as ${as}`] };
  } catch (error) {
    const e = error as { name?: string; message?: string };
    return { name: 'aws-role', status: 'fail', details: [`cannot assume ${arn}: ${e.name ?? 'Error'}: ${e.message ?? ''}`] };
  }
}

export async function runDoctor(p: DoctorPorts): Promise<{ ok: boolean; checks: DoctorCheck[] }> {
  const callers = callersOf(p.root);
  const gh = await checkGitHub(p, callers);
  const checks = [checkConfig(p.root), checkWorkflows(p.root, callers), checkRunbooks(p), gh.check, await checkRole(p, gh.roleArn)];
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}
