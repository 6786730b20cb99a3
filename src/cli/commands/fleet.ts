import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { fleetMatrix } from '../../core/fleet/matrix.js';
import { completeOutcomes, fleetStatus, parentAuditRecord, parseFleetLedger, renderFleetSummary, targetsToRetry, type FleetLedger, type TargetOutcome } from '../../core/fleet/run-ledger.js';
import { selectTargets } from '../../core/fleet/targets.js';
import { InputError, PartialFailureError } from '../../core/errors.js';
import { parseIncidentId } from '../../core/incident-id.js';
import { realSleep, systemClock } from '../../core/runtime.js';
import { FLEET_SLUGS, isFleetCapable } from '../../fleet/slugs.js';
import { CAPABILITIES } from '../../capabilities/registry.js';
import { publicName, readInputs } from '../../core/inputs.js';
import { runFleet } from '../../fleet/run.js';
import { loadFleetTargets } from '../../fleet/targets-file.js';
import { renderFleetWorkflow } from '../../fleet/workflow.js';
import { FileAuditSink } from '../../providers/local/file-audit-sink.js';
import { DEFAULT_CONFIG_FILE } from '../../runtime/config-file.js';
import { ENV } from '../../runtime/env.js';
import { globalsOf, ioOf, printJson, type CliIo } from '../io.js';
import { actorFor, auditFileFor, loadCliConfig, stderrLogger } from '../run-step.js';

/**
 * `firebreak fleet …`: a capability across many targets (docs/operators/fleet.md).
 *
 *   fleet run block-ips --targets prod --addresses 203.0.113.7 --reason … --incident INC-1 [--apply]
 *       plan (default) or apply on every selected target, bounded concurrency, one summary, one
 *       parent audit record; `--retry-failed LEDGER` acts only on what that run did not apply.
 *       The GitHub workflow uses the same command: --matrix-out in the plan job, --only per batch.
 *   fleet aggregate --plan plan.json --results DIR   the workflow's summary job
 *   fleet workflow block-ips --max-targets N         prints the generated workflow
 */
export function register(program: Command): void {
  const fleet = program.command('fleet').description('act on a whole fleet of accounts, regions and zones (firebreak.yml fleet:)');

  const run = fleet.command('run').description(`plan (default) or apply a fleet-capable capability on the selected targets: ${FLEET_SLUGS.join(', ')}`);
  for (const slug of FLEET_SLUGS) {
    const def = CAPABILITIES.find((c) => c.slug === slug);
    if (!def) throw new Error(`fleet: ${slug} is not in the capability registry`);
    const cmd = run.command(slug).description(`${def.title} on every selected fleet target`);
    // The capability's own inputs, as options (its positional ones too: `--target`, `--addresses`).
    const fields = Object.entries(def.inputs).filter(([, f]) => f.cli !== false).map(([key, field]) => ({ key, field, name: publicName(key, field) }));
    for (const { field, name } of fields) {
      if (field.kind === 'flag') cmd.option(`--${name}`, field.description);
      else cmd.addOption(new Option(`--${name} <${field.kind === 'choice' ? field.options.join('|') : 'text'}>`, field.description));
    }
    cmd
      .requiredOption('--targets <selection>', 'fleet set(s) or selectors: prod, tag:pci, id:<target>, provider:aws, all')
      .option('--incident <id>', 'incident this run belongs to')
      .option('--apply', 'make the changes (default: dry run, plan only)', false)
      .option('--only <ids>', 'act on these target ids only (comma-separated; must be in the selection)')
      .option('--retry-failed <ledger>', 'act only on the targets that ledger did not apply')
      .option('--retry-failed-dir <dir>', 'like --retry-failed with DIR/ledger.json, ignored when the directory is absent')
      .option('--concurrency <n>', 'targets at once (default: fleet.concurrency)')
      .option('--batch-size <n>', 'targets per matrix job (default: fleet.batch_size)')
      .option('--shards <n>', 'apply jobs in the workflow (matrix shards of at most 256)', '1')
      .option('--matrix-out <file>', 'append matrix-N= and count-N= lines (GITHUB_OUTPUT)')
      .option('--ledger-out <file>', 'write the fleet run ledger here (default: .firebreak/fleet/<run>.json)')
      .option('--summary-out <file>', 'append the summary table (GITHUB_STEP_SUMMARY)')
      .option('--no-parent', 'do not append the parent record (one batch of a workflow run; the summary job writes it)')
      .option('--config <file>', `firebreak.yml (default: $${ENV.configFile} or ./firebreak.yml)`)
      .option('--audit-file <file>', 'audit chain to append to')
      .option('--actor <name>', 'who runs this (default: $USER)')
      .action(async (o: Record<string, string | boolean | undefined>, c: Command) => {
        const raw: Record<string, unknown> = {};
        for (const { key, name } of fields) raw[key] = o[camel(name)];
        await runFleetCommand(slug, raw, o, c);
      });
  }

  fleet
    .command('aggregate')
    .description('one summary and one parent audit record from a plan and the batches\' results (missing batches reported per target)')
    .requiredOption('--plan <file>', 'the plan job\'s ledger')
    .requiredOption('--results <dir>', 'directory holding the batches\' result.json files (any depth)')
    .option('--audit-file <file>', 'chain to append the parent record to')
    .option('--ledger-out <file>', 'write the combined ledger here', '.firebreak/fleet/ledger.json')
    .option('--summary-out <file>', 'append the summary table (GITHUB_STEP_SUMMARY)')
    .option('--actor <name>', 'who runs this')
    .option('--incident <id>', 'incident this run belongs to')
    .action(async (o: Record<string, string | undefined>, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const plan = parseFleetLedger(await readFile(resolve(io.cwd, o.plan!), 'utf8'), o.plan!);
      const reported: TargetOutcome[] = [];
      for (const file of await findResults(resolve(io.cwd, o.results!))) {
        try {
          reported.push(...parseFleetLedger(await readFile(file, 'utf8'), file).outcomes);
        } catch (error) {
          io.stderr(`warning: ${(error as Error).message}: its targets are reported as missing`);
        }
      }
      // Targets that failed at plan never reached a batch: their plan outcome is their result.
      const atPlan = plan.outcomes.filter((x) => x.status !== 'planned');
      const ledger: FleetLedger = { ...plan, outcomes: completeOutcomes(plan.planned, [...atPlan, ...reported]) };
      const auditFile = auditFileFor({ auditFile: o.auditFile }, io);
      const entry = await new FileAuditSink(auditFile).append(
        parentAuditRecord(ledger, { time: (io.clock ?? systemClock).now().toISOString(), actor: actorFor({ actor: o.actor }, io), incidentId: o.incident ?? null, runUrl: null, dryRun: false }),
      );
      await mkdir(dirname(resolve(io.cwd, o.ledgerOut!)), { recursive: true });
      await writeFile(resolve(io.cwd, o.ledgerOut!), `${JSON.stringify(ledger, null, 2)}\n`);
      const summary = renderFleetSummary(ledger, plan.capability);
      if (o.summaryOut) await appendFile(resolve(io.cwd, o.summaryOut), summary);
      if (json) printJson(io, { ok: true, status: fleetStatus(ledger.outcomes), parent: { file: auditFile, seq: entry.seq, hash: entry.hash }, outcomes: ledger.outcomes });
      else io.stdout(summary);
      failOnPartial(ledger);
    });

  fleet
    .command('workflow')
    .description('print the generated fleet workflow for a capability')
    .argument('<capability>')
    .option('--max-targets <n>', 'largest fleet the file serves', '256')
    .option('--batch-size <n>', 'targets per matrix job', '4')
    .option('--max-parallel <n>', 'matrix jobs at once', '20')
    .action((slug: string, o: Record<string, string>, cmd: Command) => {
      if (!isFleetCapable(slug)) throw new InputError(`${slug} is not fleet-capable: ${FLEET_SLUGS.join(', ')} are`, { field: 'capability', code: 'FLEET_CAPABILITY_UNKNOWN' });
      ioOf(cmd).stdout(renderFleetWorkflow({ slug, maxTargets: positive(o.maxTargets!, '--max-targets'), batchSize: positive(o.batchSize!, '--batch-size'), maxParallel: positive(o.maxParallel!, '--max-parallel') }));
    });
}

/**
 * One fleet run from the command line: `fleet run <slug> …` and a generated capability command
 * given `--targets` (`firebreak block-ips 203.0.113.7 --targets tag:pci …`) both land here, with the
 * capability's raw input already read from its own options.
 */
export async function runFleetCommand(slug: string, input: Record<string, unknown>, o: Record<string, string | boolean | undefined>, cmd: Command): Promise<void> {
  const io = ioOf(cmd);
  const { json, verbose } = globalsOf(cmd);
  const { FLEET_CAPABILITIES } = await import('../../fleet/capabilities.js');
  const capability = isFleetCapable(slug) ? FLEET_CAPABILITIES[slug] : undefined;
  if (!capability) throw new InputError(`${slug} is not fleet-capable (yet): ${FLEET_SLUGS.join(', ')} are`, { field: 'capability', code: 'FLEET_CAPABILITY_UNKNOWN' });
  // The capability's own input rules (required, choices, lists given as repeated arguments), once,
  // before any target: bad input changes nothing anywhere.
  const def = CAPABILITIES.find((c) => c.slug === slug)!;
  const checked = readInputs(def.inputs, input) as Record<string, unknown>;
  capability.validate?.(checked);
  const configPath = resolve(io.cwd, (o.config as string | undefined) ?? io.env[ENV.configFile] ?? DEFAULT_CONFIG_FILE);
  const config = await loadCliConfig(o.config as string | undefined, io);
  const all = await loadFleetTargets(config, configPath);
  let targets = selectTargets(String(o.targets), all, config.fleet.sets);
  const retryFile = (o.retryFailed as string | undefined) ?? (await ledgerIn(o.retryFailedDir as string | undefined, io));
  if (retryFile) {
    const ledger = parseFleetLedger(await readFile(resolve(io.cwd, retryFile), 'utf8'), retryFile);
    const retry = new Set(targetsToRetry(ledger));
    targets = targets.filter((t) => retry.has(t.id));
    if (targets.length === 0) {
      io.stdout(`nothing to retry: ${retryFile} has no failed or missing target in this selection`);
      return;
    }
  }
  if (typeof o.only === 'string') {
    const only = new Set(o.only.split(',').map((s) => s.trim()).filter(Boolean));
    const unknown = [...only].filter((id) => !targets.some((t) => t.id === id));
    if (unknown.length) throw new InputError(`--only names target(s) outside the selection: ${unknown.join(', ')}`, { field: 'only', code: 'TARGETS_OUTSIDE_SELECTION' });
    targets = targets.filter((t) => only.has(t.id));
  }
  const incidentId = parseIncidentId(o.incident as string | undefined, { field: '--incident', required: false });
  const runId = io.env.GITHUB_RUN_ID ?? randomUUID().slice(0, 8);
  const auditFile = auditFileFor({ auditFile: o.auditFile as string | undefined }, io);
  const run = await runFleet({
    capability,
    targets,
    selection: String(o.targets),
    raw: { ...checked, incident: incidentId ?? undefined },
    dryRun: o.apply !== true,
    env: io.env,
    config,
    audit: new FileAuditSink(auditFile),
    auditChain: auditFile,
    clock: io.clock ?? systemClock,
    sleep: io.sleep ?? realSleep,
    logger: stderrLogger(io, verbose),
    actor: actorFor({ actor: o.actor as string | undefined }, io),
    incidentId,
    runUrl: io.env.GITHUB_RUN_ID && io.env.GITHUB_REPOSITORY ? `${io.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${io.env.GITHUB_REPOSITORY}/actions/runs/${io.env.GITHUB_RUN_ID}` : null,
    runId,
    redactor: io.redactor,
    parent: o.parent !== false,
    ...(o.concurrency ? { concurrency: positive(o.concurrency as string, '--concurrency') } : {}),
  });
  const ledgerFile = resolve(io.cwd, (o.ledgerOut as string | undefined) ?? join('.firebreak', 'fleet', `${runId}.json`));
  await mkdir(dirname(ledgerFile), { recursive: true });
  await writeFile(ledgerFile, `${JSON.stringify(run.ledger, null, 2)}\n`);
  const summary = io.redactor.scrub(renderFleetSummary(run.ledger, `${slug}${o.apply ? '' : ' plan'}`));
  if (o.summaryOut) await appendFile(resolve(io.cwd, o.summaryOut as string), summary);
  if (o.matrixOut) {
    // Targets sharing a write limit (CLOUDFRONT sets of one account) sit next to each other, so
    // they usually land in one batch, where one process's token bucket spaces their writes.
    const keyOf = new Map(targets.map((t) => [t.id, t.limitKey]));
    const ok = run.ledger.outcomes
      .filter((x) => x.status === 'planned')
      .map((x) => x.target)
      .sort((a, b) => (keyOf.get(a) ?? a).localeCompare(keyOf.get(b) ?? b) || a.localeCompare(b));
    const m = fleetMatrix(ok, { batchSize: o.batchSize ? positive(o.batchSize as string, '--batch-size') : config.fleet.batch_size, maxShards: positive(String(o.shards), '--shards') });
    const lines = m.shards.flatMap((s, i) => [`matrix-${i + 1}=${JSON.stringify(s)}`, `count-${i + 1}=${s.include.length}`]);
    await appendFile(resolve(io.cwd, o.matrixOut as string), `${lines.join('\n')}\n`);
  }
  if (json) printJson(io, { ok: true, status: fleetStatus(run.ledger.outcomes), ledger: ledgerFile, parent: run.parent, outcomes: run.ledger.outcomes });
  else io.stdout(`${summary}\nledger: ${ledgerFile}`);
  // The workflow's plan job goes on when some targets planned: the others are in the summary,
  // and the summary job reports them as not applied (a re-run retries them).
  if (o.matrixOut && o.apply !== true && run.ledger.outcomes.some((x) => x.status === 'planned')) return;
  failOnPartial(run.ledger);
}

function positive(text: string, field: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${field} must be a positive integer, got ${JSON.stringify(text)}`, { field, code: 'NUMBER_INVALID' });
  return n;
}

async function ledgerIn(dir: string | undefined, io: CliIo): Promise<string | undefined> {
  if (!dir) return undefined;
  const files = await findResults(resolve(io.cwd, dir), 'ledger.json').catch(() => []);
  return files[0];
}

async function findResults(dir: string, name = 'result.json'): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile() && e.name === name).map((e) => join(e.parentPath, e.name)).sort();
}

/** Exit 6 (partial) when any target was not applied: the job shows red, the summary says which. */
function failOnPartial(ledger: FleetLedger): void {
  const outcomes = completeOutcomes(ledger.planned, ledger.outcomes);
  const bad = outcomes.filter((x) => !['applied', 'noop', 'planned'].includes(x.status));
  if (bad.length === 0) return;
  throw new PartialFailureError(`${ledger.capability}: ${bad.length} of ${outcomes.length} target(s) not applied: ${bad.map((b) => `${b.target} (${b.status})`).join(', ')}`, { targets: outcomes }, {
    hint: 'Nothing applied is rolled back. Fix the cause named per target and re-run with --retry-failed on this run\'s ledger: only those targets are acted on.',
  });
}

/** commander's attribute name for a kebab-case option. */
function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
