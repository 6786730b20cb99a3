import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { checkRunbook, parseRunbook, type RunbookProblem } from '../../core/runbook.js';
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
    .option('--allow-stale', 'report overdue reviews without failing', false)
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
        problems.push(...checkRunbook(parsed, { commands, exists: (p) => existsSync(resolve(root, p)), today: new Date() }));
      }
      const failing = problems.filter((p) => !(opts.allowStale && p.kind === 'stale'));
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
}
