import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { adoptable, initFiles, starterRunbooks } from '../../adopt/init.js';
import { REGIMES, SCHEMES, renderConfig, type InitAnswers, type Regime } from '../../adopt/config-template.js';
import { applyFiles, planFiles, renderPlan } from '../../adopt/plan-files.js';
import { packageRoot, parseSource } from '../../adopt/source.js';
import { CAPABILITIES } from '../../capabilities/registry.js';
import { parseConfig } from '../../core/config/parse.js';
import { InputError } from '../../core/errors.js';
import { globalsOf, ioOf, printJson, type CliIo } from '../io.js';

interface InitOptions {
  dir: string;
  repository?: string;
  project?: string;
  firebreakRepository: string;
  firebreakRef: string;
  firebreakLabel?: string;
  scheme: string;
  roster: string[];
  regime: string[];
  dataCategories: string;
  protectedRange: string[];
  officeEgress: string[];
  timezone?: string;
  capabilities?: string;
  runbooks?: string;
  codeowner: string[];
  reviewer: string[];
  stack: string;
  awsRegion?: string;
  yes: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const list = (s: string | undefined) => (s ?? '').split(/[\s,]+/).filter(Boolean);

/** owner/name of the git remote `origin` when it is on GitHub; nothing otherwise. */
function repositoryFromGit(root: string): string | undefined {
  const r = spawnSync('git', ['-C', root, 'remote', 'get-url', 'origin'], { encoding: 'utf8' });
  const m = /github\.com[:/]([A-Za-z0-9-]+\/[A-Za-z0-9._-]+?)(\.git)?\s*$/.exec(r.stdout ?? '');
  return r.status === 0 && m ? m[1] : undefined;
}

function answersOf(o: InitOptions, root: string): InitAnswers {
  const repository = o.repository ?? repositoryFromGit(root);
  if (!repository || !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository)) {
    throw new InputError('--repository owner/name is required (no GitHub remote named origin to infer it from)', { field: 'repository' });
  }
  if (!(SCHEMES as readonly string[]).includes(o.scheme)) throw new InputError(`--scheme must be one of ${SCHEMES.join(', ')}`, { field: 'scheme' });
  const regimes = o.regime.flatMap(list);
  const unknown = regimes.filter((r) => !(REGIMES as readonly string[]).includes(r));
  if (unknown.length) throw new InputError(`unknown --regime ${unknown.join(', ')}; known: ${REGIMES.join(', ')}`, { field: 'regime' });
  const roster: Record<string, string[]> = {};
  for (const entry of o.roster) {
    const m = /^([a-z][a-z0-9_]*)=(.+)$/.exec(entry);
    if (!m) throw new InputError(`--roster takes role=login,login (e.g. incident_commander=alice,bob), got ${JSON.stringify(entry)}`, { field: 'roster' });
    roster[m[1]!] = list(m[2]).map((l) => l.replace(/^@/, ''));
  }
  if (!roster.incident_commander?.length) throw new InputError('--roster incident_commander=LOGIN[,LOGIN] is required: somebody must own the incident', { field: 'roster' });
  const ranges = [
    ...o.protectedRange.map((r) => {
      const [cidr, ...label] = r.split('=');
      return label.length ? { cidr: cidr!, label: label.join('=') } : { cidr: cidr! };
    }),
    ...o.officeEgress.map((cidr) => ({ cidr, label: 'office egress' })),
  ];
  return {
    project: o.project ?? basename(repository),
    repository,
    scheme: o.scheme as InitAnswers['scheme'],
    roster,
    regimes: regimes as Regime[],
    dataCategories: list(o.dataCategories),
    protectedRanges: ranges,
    timezone: o.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (io.confirm) return io.confirm(question);
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/**
 * `firebreak init`: adopt firebreak in this repository. Shows every file it would write (with a diff
 * for each change) and writes only after a yes (or `--yes`); a second run is a no-op, or an upgrade
 * that shows its diff (e.g. a new pinned SHA). firebreak.yml, once there, is the team's: kept.
 */
export function register(program: Command): void {
  program
    .command('init')
    .description('adopt firebreak in this repository: firebreak.yml, pinned caller workflows, CODEOWNERS, runbooks, Pulumi stack config')
    .requiredOption('--firebreak-repository <owner/name>', 'where firebreak lives (upstream or your fork)')
    .requiredOption('--firebreak-ref <sha>', 'the full commit SHA of firebreak you reviewed')
    .option('--firebreak-label <tag>', 'release shown next to the SHA (e.g. v0.1.0)')
    .option('--dir <path>', 'the repository to set up', '.')
    .option('--repository <owner/name>', 'this repository (default: the GitHub remote origin)')
    .option('--project <name>', 'project name (default: the repository name)')
    .option('--scheme <scheme>', `severity scheme: ${SCHEMES.join(', ')}`, 'SEV0-3')
    .option('--roster <role=logins>', 'a roster role and its GitHub logins (repeatable), e.g. incident_commander=alice,bob', collect, [])
    .option('--regime <list>', `notification regimes that apply: ${REGIMES.join(', ')} (repeatable)`, collect, [])
    .option('--data-categories <list>', 'data categories the US state laws cover for you', 'personal')
    .option('--protected-range <cidr[=label]>', 'an address range never to block (repeatable)', collect, [])
    .option('--office-egress <cidr>', "your office's egress, added as a protected range (repeatable)", collect, [])
    .option('--timezone <iana>', 'the zone your calendar deadlines are counted in (default: this machine\'s)')
    .option('--capabilities <list>', 'buttons to add (default: every capability with a reusable workflow)')
    .option('--runbooks <list>', 'starter runbooks from firebreak (default: all)')
    .option('--codeowner <@owner>', 'owner of runbooks, workflows and firebreak.yml in CODEOWNERS (repeatable)', collect, [])
    .option('--reviewer <login>', 'required reviewer of the protected environment, for the kit (repeatable)', collect, [])
    .option('--stack <name>', 'Pulumi stack name', 'prod')
    .option('--aws-region <region>', 'AWS region of the kit (default: $AWS_REGION or us-east-1)')
    .option('--yes', 'write without asking', false)
    .action(async (o: InitOptions, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const root = resolve(io.cwd, o.dir);
      if (!existsSync(root)) throw new InputError(`--dir ${o.dir} does not exist`, { field: 'dir' });
      const source = parseSource(o.firebreakRepository, o.firebreakRef, o.firebreakLabel);
      const answers = answersOf(o, root);
      const fbRoot = packageRoot();
      const offered = adoptable(CAPABILITIES, fbRoot);
      const wanted = o.capabilities ? list(o.capabilities) : offered.map((c) => c.slug);
      const unknownCaps = wanted.filter((s) => !offered.some((c) => c.slug === s));
      if (unknownCaps.length) throw new InputError(`unknown or not adoptable --capabilities ${unknownCaps.join(', ')}; available: ${offered.map((c) => c.slug).join(', ')}`, { field: 'capabilities' });
      const starters = starterRunbooks(fbRoot);
      const runbooks = o.runbooks ? list(o.runbooks).map((r) => (r.endsWith('.md') ? r : `${r}.md`)) : starters;
      const unknownRunbooks = runbooks.filter((r) => !starters.includes(r));
      if (unknownRunbooks.length) throw new InputError(`unknown --runbooks ${unknownRunbooks.join(', ')}; available: ${starters.join(', ')}`, { field: 'runbooks' });
      const codeowners = (o.codeowner.length ? o.codeowner : [`@${answers.repository.split('/')[0]}`]).map((c) => (c.startsWith('@') ? c : `@${c}`));
      const bad = codeowners.filter((c) => !/^@[A-Za-z0-9-]+(\/[A-Za-z0-9_.-]+)?$/.test(c));
      if (bad.length) throw new InputError(`--codeowner must be @user or @org/team, got ${bad.join(', ')}`, { field: 'codeowner' });
      const configPath = join(root, 'firebreak.yml');
      const existingConfig = existsSync(configPath) ? readFileSync(configPath, 'utf8') : undefined;
      // The config it would write must pass `config check` before anything is shown or written.
      if (existingConfig === undefined) parseConfig(renderConfig(answers), 'firebreak.yml');
      const codeownersPath = join(root, '.github', 'CODEOWNERS');
      const files = initFiles({
        answers,
        source,
        capabilities: wanted.map((s) => offered.find((c) => c.slug === s)!),
        runbooks,
        codeowners,
        stack: o.stack,
        awsRegion: o.awsRegion ?? io.env.AWS_REGION ?? 'us-east-1',
        reviewers: o.reviewer.length ? o.reviewer : (answers.roster.incident_commander ?? []),
        firebreakRoot: fbRoot,
        existingCodeowners: existsSync(codeownersPath) ? readFileSync(codeownersPath, 'utf8') : undefined,
        existingConfig,
      });
      const changes = planFiles(root, files);
      const pending = changes.filter((c) => c.action !== 'unchanged');
      if (!json) io.stdout(`firebreak init in ${root} (firebreak ${source.repository}@${source.sha}):\n${renderPlan(changes)}`);
      if (pending.length === 0) {
        if (json) printJson(io, { ok: true, written: [], changes: changes.map(({ path, action }) => ({ path, action })) });
        else io.stdout('nothing to do: this repository is up to date');
        return;
      }
      if (!o.yes && !(await confirm(io, `write ${pending.length} file(s)?`))) {
        throw new InputError('nothing was written: not confirmed', { code: 'NOT_CONFIRMED', hint: 'Review the plan above and run again with --yes (or answer y).' });
      }
      const written = applyFiles(root, changes);
      if (json) printJson(io, { ok: true, written, changes: changes.map(({ path, action }) => ({ path, action })) });
      else {
        io.stdout(`wrote ${written.length} file(s). Next:`);
        io.stdout('  firebreak config check && firebreak doctor   # then `pulumi up` with the Pulumi stack file, and commit');
      }
    });
}
