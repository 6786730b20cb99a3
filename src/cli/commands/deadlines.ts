import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { computeObligations } from '../../core/incident/clock.js';
import { parseFactsText } from '../../core/incident/facts.js';
import { globalsOf, ioOf, printJson } from '../io.js';
import { loadCliConfig } from '../run-step.js';

/**
 * `firebreak deadlines --facts FILE [--config FILE] [--json]`: the regulatory clock for a set of
 * incident facts. With --json, stdout is a JSON array sorted by `due`:
 * `[{ "id", "recipient", "due", "basis": { "rule", "source" }, "owner" }]`; notes go to stderr.
 */
export function register(program: Command): void {
  program
    .command('deadlines')
    .description('compute notification deadlines (GDPR, HIPAA, US states, SEC 8-K, NIS2, DORA, custom) from incident facts')
    .requiredOption('--facts <file>', 'incident facts as YAML or JSON (discovered_at, data_categories, affected_by_state, …)')
    .option('--config <file>', 'firebreak.yml with incident.regimes (default: ./firebreak.yml or built-in defaults)')
    .action(async (opts: { facts: string; config?: string }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const path = resolve(io.cwd, opts.facts);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        throw new InputError(`cannot read facts ${opts.facts}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message}`, { field: 'facts' });
      }
      const facts = parseFactsText(text, opts.facts);
      const config = await loadCliConfig(opts.config, io);
      const { obligations, notes } = computeObligations(facts, config.incident);
      for (const n of notes) io.stderr(`note: ${n}`);
      if (json) {
        printJson(io, obligations);
        return;
      }
      if (obligations.length === 0) {
        io.stdout('No notification obligations follow from these facts.');
        return;
      }
      const lines = obligations.map((o) => `${o.due}  ${o.id.padEnd(30)} ${o.recipient} [owner: ${o.owner}]\n${' '.repeat(26)}${o.basis.rule} — ${o.basis.source}`);
      io.stdout(lines.join('\n'));
    });
}
