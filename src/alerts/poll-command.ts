import type { Command } from 'commander';
import { globalsOf, ioOf, printJson } from '../cli/io.js';
import { stderrLogger } from '../cli/run-step.js';
import { InputError, PartialFailureError } from '../core/errors.js';
import { eventRunDeps } from '../runtime/event-runs.js';
import { DEFAULT_MAX_PAGES, pollScanningAlerts, SCANNING_SOURCES, type PollOutcome, type ScanningSource } from './poll-scanning.js';

/**
 * `firebreak alert poll-scanning`, what scanning-alerts.yml runs on its schedule. Nothing comes
 * from an event: the alerts are read from the API with the run's token. A list that could not be
 * read or an alert that could not be handled ends the run non-zero (the rest is still done, and the
 * outcome says which), so a poll that silently stopped seeing alerts shows as a failed run.
 */
export async function pollScanningCommand(opts: { config?: string; source?: string[]; maxPages?: string }, command: Command): Promise<void> {
  // `--config` may be taken by the parent `alert` command (options are not positional).
  const all = command.optsWithGlobals<{ config?: string }>();
  const configFile = opts.config ?? all.config;
  const sources = parseSources(opts.source);
  const maxPages = parseMaxPages(opts.maxPages);
  const io = ioOf(command);
  const deps = await eventRunDeps({ env: io.env, cwd: io.cwd, configFile, logger: () => stderrLogger(io, globalsOf(command).verbose), ...(io.clock ? { clock: io.clock } : {}), ...(io.sleep ? { sleep: io.sleep } : {}) });
  const outcome = await pollScanningAlerts(deps, { sources, maxPages });
  if (globalsOf(command).json) printJson(io, outcome);
  else io.stdout(io.redactor.scrub(summary(outcome)));
  if (outcome.failed) throw new PartialFailureError(failureMessage(outcome), outcome, { hint: 'The alerts listed as handled are done; the next poll retries the rest and never opens a second incident for an alert already on an open one.' });
}

function parseSources(raw: string[] | undefined): ScanningSource[] {
  if (raw === undefined) return [...SCANNING_SOURCES];
  const out: ScanningSource[] = [];
  for (const s of raw.flatMap((r) => r.split(','))) {
    const name = s.trim();
    if (!(SCANNING_SOURCES as readonly string[]).includes(name)) throw new InputError(`--source must be ${SCANNING_SOURCES.join(' or ')}, got ${JSON.stringify(name.slice(0, 40))}`, { field: 'source', code: 'USAGE' });
    if (!out.includes(name as ScanningSource)) out.push(name as ScanningSource);
  }
  return out;
}

function parseMaxPages(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_MAX_PAGES;
  if (!/^[1-9]\d{0,2}$/.test(raw)) throw new InputError(`--max-pages must be a whole number from 1 to 999, got ${JSON.stringify(raw.slice(0, 20))}`, { field: 'max-pages', code: 'USAGE' });
  return Number(raw);
}

function summary(o: PollOutcome): string {
  const lines = o.lists.map((l) => (l.error ? `✗ ${l.source}: not read: ${l.error}` : `✓ ${l.source}: ${l.listed} open${l.truncated ? ' (more than --max-pages holds: the oldest were not read)' : ''}${l.secretsDropped ? ` (${l.secretsDropped} came back with their secret value despite hide_secret: dropped unread)` : ''}`));
  for (const a of o.alerts) {
    const where = a.incidentId ? ` → ${a.incidentId} (#${a.issue})` : '';
    lines.push(`  ${a.source} #${a.number}: ${a.result}${where}${a.reason ? `: ${a.reason}` : ''}${a.error ? `: ${a.error}` : ''}`);
  }
  return lines.join('\n');
}

function failureMessage(o: PollOutcome): string {
  const lists = o.lists.filter((l) => l.error).map((l) => `${l.source} (${l.error})`);
  const alerts = o.alerts.filter((a) => a.error).map((a) => `${a.source} #${a.number}`);
  return [lists.length ? `not read: ${lists.join(', ')}` : '', alerts.length ? `not fully handled: ${alerts.join(', ')}` : ''].filter(Boolean).join('; ');
}
