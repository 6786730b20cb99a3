import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { CAPABILITIES, capabilityBySlug } from '../../capabilities/registry.js';
import { drillInputProblem } from '../../capabilities/drill-input.js';
import { alertInputProblem } from '../../drill/runbook/alert-step.js';
import { checkRunbook, parseRunbook, type ParsedRunbook, type RunbookProblem } from '../../core/runbook.js';
import { renderCoverage, runbookCoverage } from '../../core/runbook-coverage.js';
import { globalsOf, ioOf, printJson } from '../io.js';

/**
 * `firebreak runbooks check [DIR]`: a runbook is tested, not trusted. Fails when a runbook's front
 * matter is invalid, names a step firebreak does not have, links a workflow or action that does not
 * exist, or (unless --allow-stale) has not been reviewed within its review period.
 */
export function register(program: Command): void {
  const runbooks = program.command('runbooks').description('validate the Markdown runbooks in runbooks/');
  runbooks
    .command('check')
    .description('check front matter, step references, linked workflows/actions and review dates')
    .argument('[dir]', 'runbooks directory', 'runbooks')
    .option('--allow-stale', 'report overdue reviews and drills without failing', false)
    .action(async (dir: string, opts: { allowStale: boolean }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const root = resolve(io.cwd);
      const abs = resolve(root, dir);
      let files: string[];
      try {
        files = (await readdir(abs)).filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md').sort();
      } catch {
        throw new InputError(`cannot read runbooks directory ${dir}`, { field: 'dir' });
      }
      const commands = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
      const problems: RunbookProblem[] = [];
      for (const f of files) {
        const file = relative(root, join(abs, f)) || f;
        const parsed = parseRunbook(await readFile(join(abs, f), 'utf8'), file);
        problems.push(
          ...checkRunbook(parsed, {
            commands,
            exists: (p) => existsSync(resolve(root, p)),
            today: io.clock?.now() ?? new Date(),
            drillInput: (step, input) => {
              if (step === 'alert') return alertInputProblem(input);
              const cap = capabilityBySlug(step);
              return cap ? drillInputProblem(cap, input) : undefined;
            },
          }),
        );
      }
      const failing = problems.filter((p) => !(opts.allowStale && (p.kind === 'stale' || p.kind === 'untested')));
      if (json) printJson(io, { ok: failing.length === 0, runbooks: files.length, problems });
      else {
        for (const p of problems) io.stderr(`${p.file}:${p.line} ${p.kind}: ${p.message}`);
        io.stdout(`${files.length} runbook(s) checked, ${problems.length} problem(s)`);
      }
      if (failing.length) {
        throw new InputError(`${failing.length} runbook problem(s)`, {
          code: 'RUNBOOK_INVALID',
          hint: 'Fix each line named above. A stale runbook needs a human review: re-read it, run the drill, then bump last_reviewed.',
        });
      }
    });

  runbooks
    .command('stamp')
    .description("write last_tested into runbooks that drilled green (the scheduled drill's pull request does this; never by hand)")
    .argument('<files...>', 'runbook files that drilled green')
    .option('--date <yyyy-mm-dd>', 'the drill date (default: today, UTC)')
    .action(async (files: string[], opts: { date?: string }, cmd: Command) => {
      const io = ioOf(cmd);
      const today = (io.clock?.now() ?? new Date()).toISOString().slice(0, 10);
      const date = opts.date ?? today;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
        throw new InputError(`--date ${date} is not a calendar date (yyyy-mm-dd)`, { field: 'date' });
      }
      if (date > today) throw new InputError(`--date ${date} is in the future: a drill cannot have been green then`, { field: 'date' });
      const root = resolve(io.cwd);
      // Every file is checked before any is written: a bad name changes nothing.
      const targets: string[] = [];
      for (const f of files) {
        const abs = resolve(root, f);
        const rel = relative(root, abs);
        if (rel.startsWith('..') || !rel.endsWith('.md')) throw new InputError(`${f} is not a Markdown runbook inside this repository`, { field: 'files' });
        let text: string;
        try {
          text = await readFile(abs, 'utf8');
        } catch {
          throw new InputError(`${f} does not exist`, { field: 'files' });
        }
        const parsed = parseRunbook(text, rel);
        if (!parsed.frontMatter?.drill?.length) throw new InputError(`${f} has no drill plan: only a drilled runbook has a last_tested date`, { field: 'files', code: 'RUNBOOK_NO_DRILL' });
        targets.push(abs);
      }
      const { stampLastTested } = await import('./drill.js');
      for (const abs of targets) await stampLastTested(abs, date);
      io.stdout(`last_tested: ${date} in ${targets.length} runbook(s)`);
    });

  runbooks
    .command('coverage')
    .description("for each runbook made from a source runbook: its actions mapped to capabilities the drill runs, or manual with a reason")
    .argument('[dir]', 'runbooks directory', 'runbooks')
    .option('--goal <percent>', 'coverage every source runbook should reach', '90')
    .option('--fail-under', 'exit non-zero when a source runbook is under the goal', false)
    .action(async (dir: string, opts: { goal: string; failUnder: boolean }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const goal = Number(opts.goal);
      if (!Number.isFinite(goal) || goal < 0 || goal > 100) throw new InputError('--goal must be a percentage between 0 and 100', { field: 'goal' });
      const root = resolve(io.cwd);
      const parsed = await readRunbooks(root, dir);
      // Capabilities, and the event entry points (alerts, slash commands) a runbook may start from.
      const built = new Set([...CAPABILITIES.filter((c) => c.status === 'built').map((c) => c.slug), 'alert', 'issueops']);
      const invalid = parsed.filter((p) => !p.frontMatter);
      if (invalid.length) throw new InputError(`${invalid.map((p) => p.file).join(', ')}: invalid front matter; run \`firebreak runbooks check\``, { code: 'RUNBOOK_INVALID' });
      const rows = parsed.filter((p) => p.frontMatter!.source !== undefined).map((p) => runbookCoverage(p.file, p.frontMatter!, built));
      const under = rows.filter((r) => r.percent < goal);
      if (json) printJson(io, { ok: under.length === 0, goal, runbooks: rows });
      else io.stdout(renderCoverage(rows, goal));
      if (opts.failUnder && under.length) {
        throw new InputError(`${under.map((r) => `${r.file} ${r.percent}%`).join(', ')} under the ${goal}% goal`, { code: 'COVERAGE_UNDER_GOAL', hint: 'Map each gap above to a built capability and add it to the runbook\'s drill, or mark it manual with the reason.' });
      }
    });
}

async function readRunbooks(root: string, dir: string): Promise<ParsedRunbook[]> {
  const abs = resolve(root, dir);
  let files: string[];
  try {
    files = (await readdir(abs)).filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md').sort();
  } catch {
    throw new InputError(`cannot read runbooks directory ${dir}`, { field: 'dir' });
  }
  return Promise.all(files.map(async (f) => parseRunbook(await readFile(join(abs, f), 'utf8'), relative(root, join(abs, f)) || f)));
}
