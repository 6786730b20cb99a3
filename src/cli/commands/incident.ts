import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { realSleep, systemClock } from '../../core/runtime.js';
import type { StepDefinition, StepRun } from '../../core/step.js';
import { buildIncidentPorts } from '../../runtime/ports/incident.js';
import { classifyStep } from '../../capabilities/classify/step.js';
import { closeIncidentStep } from '../../capabilities/close-incident/step.js';
import { declareStep, declaredIncidentId } from '../../capabilities/declare/step.js';
import type { IncidentPorts } from '../../capabilities/shared/incident-support.js';
import { incidentTickStep, tickOpenIncidents } from '../../capabilities/incident-tick/step.js';
import { postUpdateStep } from '../../capabilities/post-update/step.js';
import { recordContainmentStep } from '../../capabilities/record-containment/step.js';
import { recordNotificationStep } from '../../capabilities/record-notification/step.js';
import { writePostmortemStep } from '../../capabilities/write-postmortem/step.js';
import { globalsOf, ioOf, printJson } from '../io.js';
import { addStepOptions, loadCliConfig, runStepCommand, stepOptionsOf } from '../run-step.js';

/**
 * The incident commands: declare, classify, update, record-notification, record-containment, tick,
 * close, postmortem. Each runs its step with the shared step options; the audit record goes to the
 * chain file AND onto the incident issue (where the incident's state is derived from).
 */

function runIncidentStep<I>(cmd: Command, step: StepDefinition<I, IncidentPorts>, raw: Record<string, unknown>, incidentId?: string): Promise<StepRun<I>> {
  return runStepCommand(cmd, step, raw, {
    ports: ({ env, config }) => buildIncidentPorts({ env, sleep: ioOf(cmd).sleep ?? realSleep, clock: ioOf(cmd).clock ?? systemClock, config }),
    incidentId,
    // The incident's state is derived from the issue: a record that did not reach it must fail.
    mirrorFailure: 'fail',
  });
}

async function readText(cwd: string, file: string | undefined, field: string): Promise<string | undefined> {
  if (!file) return undefined;
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`, { field });
  }
}

const needsIncident = (cmd: Command): string => {
  const id = stepOptionsOf(cmd).incident;
  if (!id) throw new InputError('--incident INC-… is required', { field: 'incident' });
  return id;
};

export function register(program: Command): void {
  addStepOptions(
    program
      .command('declare')
      .description('open an incident issue: id, labels, roles, ack deadline, obligations, timeline')
      .requiredOption('--title <text>', 'one-line title')
      .option('--slug <slug>', 'short slug for the id (default: from the title)')
      .option('--summary <text>', 'what was detected and the first impact estimate')
      .option('--severity <level>', 'severity id (default: classified from --answers)')
      .option('--answers <ids>', 'checklist ids answered yes, comma separated (see README)')
      .option('--workaround', 'a workaround exists (lowers one level where the scheme says so)')
      .option('--unsure', 'in doubt (raises one level where the scheme says so)')
      .option('--facts <file>', 'incident facts (YAML/JSON) for the regulatory clocks'),
  ).action(async (o: Record<string, string | boolean | undefined>, cmd: Command) => {
    const raw = { title: o.title, slug: o.slug, summary: o.summary, severity: o.severity, answers: o.answers, workaround: o.workaround, unsure: o.unsure, facts: await readText(ioOf(cmd).cwd, o.facts as string | undefined, 'facts') };
    await runIncidentStep(cmd, declareStep, raw, declaredIncidentId(raw, (ioOf(cmd).clock ?? systemClock).now()));
  });

  addStepOptions(
    program
      .command('classify')
      .description('classify the incident from the severity checklist and relabel it')
      .option('--answers <ids>', 'checklist ids answered yes, comma separated')
      .option('--severity <level>', 'set the severity directly')
      .option('--workaround', 'a workaround exists')
      .option('--unsure', 'in doubt'),
  ).action(async (o: Record<string, unknown>, cmd: Command) => {
    await runIncidentStep(cmd, classifyStep, { answers: o.answers, severity: o.severity, workaround: o.workaround, unsure: o.unsure }, needsIncident(cmd));
  });

  addStepOptions(
    program
      .command('post-update')
      .alias('update')
      .description('post an internal or external status update (external text is checked for internal details)')
      .option('--audience <who>', 'internal or external', 'internal')
      .option('--kind <kind>', 'initial, update or resolved', 'update')
      .option('--status <status>', 'investigating, identified, mitigating, monitoring, stable, resolved')
      .option('--text <text>', 'the update')
      .option('--impact <text>')
      .option('--root-cause <text>')
      .option('--eta <text>')
      .option('--next-update <text>')
      .option('--fix-pr <number>', 'link the fix pull request')
      .option('--facts <file>', 'amend the incident facts (YAML/JSON, merged)'),
  ).action(async (o: Record<string, string | undefined>, cmd: Command) => {
    const factsText = await readText(ioOf(cmd).cwd, o.facts, 'facts');
    const { parse } = await import('yaml');
    const raw = { audience: o.audience, kind: o.kind, status: o.status, text: o.text, impact: o.impact, root_cause: o.rootCause, eta: o.eta, next_update: o.nextUpdate, fix_pr: o.fixPr, facts: factsText ? parse(factsText) : undefined };
    await runIncidentStep(cmd, postUpdateStep, raw, needsIncident(cmd));
  });

  addStepOptions(
    program
      .command('record-notification')
      .description('record "sent to X at T, reference R" (or a waiver with a reason) for one obligation')
      .requiredOption('--obligation <id>', 'obligation id, e.g. gdpr-authority')
      .option('--recipient <text>')
      .option('--sent-at <time>', 'ISO time with offset (default: now)')
      .option('--reference <ref>', 'confirmation or case number')
      .option('--waive <reason>', 'waive the obligation, with the reason'),
  ).action(async (o: Record<string, string | undefined>, cmd: Command) => {
    await runIncidentStep(cmd, recordNotificationStep, { obligation: o.obligation, recipient: o.recipient, sent_at: o.sentAt, reference: o.reference, waive_reason: o.waive }, needsIncident(cmd));
  });

  addStepOptions(
    program
      .command('record-containment')
      .description('record containment done by hand, so the close gate counts it')
      .requiredOption('--action <text>', 'what was done')
      .option('--note <text>'),
  ).action(async (o: Record<string, string | undefined>, cmd: Command) => {
    await runIncidentStep(cmd, recordContainmentStep, { action: o.action, note: o.note }, needsIncident(cmd));
  });

  addStepOptions(
    program
      .command('incident-tick')
      .alias('tick')
      .description('post due reminders, escalations and deadline warnings for open incidents (idempotent)'),
  ).action(async (_o: unknown, cmd: Command) => {
    const io = ioOf(cmd);
    const opts = stepOptionsOf(cmd);
    const config = await loadCliConfig(opts.config, io);
    const ports = buildIncidentPorts({ env: io.env, sleep: io.sleep ?? realSleep, clock: io.clock ?? systemClock, config });
    const reports = await tickOpenIncidents(
      ports,
      async (id) => {
        const run = await runIncidentStep(cmd, incidentTickStep, {}, id);
        return { posted: run.result?.outcomes.filter((x) => x.status === 'applied' && x.target === 'github:comment').length ?? 0 };
      },
      () => (io.clock ?? systemClock).now(),
      opts.incident ? [opts.incident] : undefined,
    );
    const failed = reports.filter((r) => r.error !== undefined);
    if (globalsOf(cmd).json) printJson(io, reports.map((r) => ({ id: r.id, posted: r.posted, skipped: r.skipped, error: r.error ? (r.error as Error).message : undefined })));
    else for (const r of reports) io.stderr(`${r.id}: ${r.error ? `failed: ${(r.error as Error).message}` : r.skipped ? 'nothing due' : `${r.posted} notice(s)`}`);
    if (failed.length) throw failed[0]!.error;
  });

  addStepOptions(
    program
      .command('close-incident')
      .alias('close')
      .description('close the incident once the close gate passes (override: --override-guard CLOSE_GATE --override-reason …)')
      .option('--fix-pr <number>', 'the fix pull request (must be merged)')
      .option('--summary <text>'),
  ).action(async (o: Record<string, string | undefined>, cmd: Command) => {
    await runIncidentStep(cmd, closeIncidentStep, { fix_pr: o.fixPr, summary: o.summary }, needsIncident(cmd));
  });

  addStepOptions(
    program
      .command('write-postmortem')
      .alias('postmortem')
      .description('open the postmortem PR built from the audit trail; action items become issues')
      .option('--impact <text>')
      .option('--root-cause <text>')
      .option('--action-item <text>', 'repeatable', (v: string, prev: string[]) => [...prev, v], [] as string[]),
  ).action(async (o: { impact?: string; rootCause?: string; actionItem: string[] }, cmd: Command) => {
    await runIncidentStep(cmd, writePostmortemStep, { impact: o.impact, root_cause: o.rootCause, action_items: o.actionItem }, needsIncident(cmd));
  });
}
