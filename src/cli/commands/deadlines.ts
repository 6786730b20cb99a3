import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { checkFactsForClock, computeObligations } from '../../core/incident/clock.js';
import { parseFactsText, parseInstant } from '../../core/incident/facts.js';
import { globalsOf, ioOf, printJson } from '../io.js';
import { loadCliConfig } from '../run-step.js';

/**
 * `firebreak deadlines --facts FILE [--config FILE] [--as-of TIME] [--json [--json-version 1]]`:
 * the regulatory clock for a set of incident facts. With --json, stdout is a versioned document
 * (docs/responders/deadlines.md): `{ "version": 2, "obligations": [...], "warnings": [...], "notes": [...] }`,
 * obligations sorted by `due`. `--json-version 1` prints the old bare array of obligations
 * (warnings and notes then go to stderr) for scripts written against it.
 */

const REGIMES_HELP = `
Regimes (each obligation's basis names its source; details and the state table: docs/responders/deadlines.md):
  GDPR Art. 33(1)/34(1) (72 h; high risk: without undue delay), Art. 33(2) processor -> controller
  UK GDPR Art. 33/34 (ICO, 72 h), separate from the EU
  HIPAA 45 CFR 164.404/.406/.408 (60 days; HHS at 500+ or by year end); business associate 164.410(b) (60 days)
  FTC Health Breach Notification Rule 16 CFR 318.4-318.6 (60 days; FTC at 500+ or annual log)
  GLBA Safeguards Rule 16 CFR 314.4(j)(1) (FTC, 500+ consumers, 30 days)
  US state laws: 50 states, DC, PR, GU, VI - residents, attorneys general/agencies, consumer reporting agencies
  NY DFS 23 NYCRR 500.17(a) (72 h after determining a cybersecurity incident)
  SEC Form 8-K Item 1.05 (4 business days after materiality, ET)
  NIS2 Art. 23(4) (24 h / 72 h / 1 month); DORA Art. 19(4) + Reg. 2025/301 Art. 5 (4 h/24 h, 72 h, 1 month)
  EU Cyber Resilience Act Art. 14 (24 h / 72 h / final), from 2026-09-11
  Canada PIPEDA s. 10.1; Quebec Law 25 (P-39.1 s. 3.5); Australia Privacy Act s. 26WH/26WK (30-day assessment)
  Brazil LGPD Art. 48 + ANPD Res. 15/2024 (3 business days, Brazil); India DPDP Rules 2025 Rule 7 (72 h)
  Singapore PDPA s. 26D (3 calendar days after assessment)
Civil days, months and year ends are counted in incident.timezone (or the offset of discovered_at, with a warning).`;

export function register(program: Command): void {
  program
    .command('deadlines')
    .description('compute notification deadlines (GDPR, UK GDPR, HIPAA, FTC, GLBA, every US state, NY DFS, SEC 8-K, NIS2, DORA, EU CRA, Canada, Australia, Brazil, India, Singapore, custom) from incident facts')
    .requiredOption('--facts <file>', 'incident facts as YAML or JSON (discovered_at, data_categories, affected_by_state, …)')
    .option('--config <file>', 'firebreak.yml with incident.regimes (default: ./firebreak.yml or built-in defaults)')
    .option('--as-of <time>', 'treat this ISO 8601 time as now (for planning: a discovery after the real now is refused without it)')
    .option('--json-version <n>', 'with --json: 2 (default) prints { version, obligations, warnings, notes }; 1 prints the old bare array')
    .addHelpText('after', REGIMES_HELP)
    .action(async (opts: { facts: string; config?: string; asOf?: string; jsonVersion?: string }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const jsonVersion = opts.jsonVersion ?? '2';
      if (jsonVersion !== '1' && jsonVersion !== '2') throw new InputError(`--json-version must be 1 or 2, not "${jsonVersion}"`, { field: 'json-version' });
      let asOf: Date | undefined;
      if (opts.asOf !== undefined) {
        const p = parseInstant(opts.asOf);
        if (typeof p === 'string') throw new InputError(`--as-of: ${p}`, { field: 'as-of' });
        asOf = new Date(p.iso);
      }
      const path = resolve(io.cwd, opts.facts);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        throw new InputError(`cannot read facts ${opts.facts}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message}`, { field: 'facts' });
      }
      const config = await loadCliConfig(opts.config, io);
      const regimes = config.incident.regimes;
      const facts = parseFactsText(text, opts.facts, {
        categories: regimes.custom.flatMap((c) => c.when.data_categories ?? []),
        states: Object.keys(regimes.us_states.overrides),
      });
      const result = computeObligations(facts, config.incident);
      checkFactsForClock(facts, result, asOf ?? io.clock?.now() ?? new Date(), asOf !== undefined, opts.facts);
      const { obligations, notes, warnings } = result;
      if (json && jsonVersion === '2') {
        printJson(io, { version: 2, obligations, warnings, notes });
        return;
      }
      for (const w of warnings) io.stderr(`warning: ${w}`);
      for (const n of notes) io.stderr(`note: ${n}`);
      if (json) {
        printJson(io, obligations);
        return;
      }
      if (obligations.length === 0) {
        io.stdout('No notification obligations follow from these facts.');
        return;
      }
      const lines = obligations.map((o) => `${o.due}  ${o.id.padEnd(30)} ${o.recipient} [owner: ${o.owner}]\n${' '.repeat(26)}${o.basis.rule} — ${o.basis.source}${o.basis.zone ? ` [zone: ${o.basis.zone}]` : ''}`);
      io.stdout(lines.join('\n'));
    });
}
