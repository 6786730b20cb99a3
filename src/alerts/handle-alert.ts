import type { Octokit } from '@octokit/rest';
import { capabilityBySlug } from '../capabilities/registry.js';
import type { CapabilityDefinition } from '../capabilities/types.js';
import { fingerprintKey, fingerprintLabel, fingerprintMarker, type Alert } from '../core/alerts/alert.js';
import { alertFromEvent } from '../core/alerts/adapters.js';
import { decide, alertReason, type PlannedStep } from '../core/alerts/rules.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import { errorView } from '../core/error-view.js';
import { InputError } from '../core/errors.js';
import { publicName, readInputs } from '../core/inputs.js';
import { Redactor } from '../core/redact.js';
import type { SessionRun } from '../runtime/session.js';

/**
 * An alert event (repository_dispatch `firebreak-alert`, code_scanning_alert, secret_scanning_alert)
 * turned into incident work, with no server: the event is read from the payload, adapted and
 * checked, matched against `alerts.rules`, and then
 *
 *   - an open incident carrying the alert's fingerprint label gets the alert attached (a comment
 *     with the marker), never a second incident for the same storm; otherwise declare opens one with
 *     the rule's severity and a deterministic id (two racing runs mint the same id, and the ledger
 *     keeps one issue), and the label and marker are written on it;
 *   - the rule's steps run through the run session as `alert:<source>`, with the alert as the
 *     reason: dry runs, unless the rule applies a step listed under alerts.automation. Every
 *     step's inputs (literals and alert fields, by the rule's mapping) are checked by that
 *     capability's own input schema before anything runs: a step that fails is refused, named in
 *     the outcome and on the issue, and the others still run.
 */

export interface AlertDeps {
  octokit: Octokit;
  owner: string;
  repo: string;
  config: FirebreakConfig;
  run(req: { def: CapabilityDefinition; raw: Record<string, unknown>; dryRun: boolean; incidentId: string | null; actor: string }): Promise<SessionRun<unknown>>;
}

export interface StepOutcome {
  capability: string;
  dryRun: boolean;
  status: string;
  error?: string;
}

export type AlertOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'declared' | 'attached'; incidentId: string; issue: number; rule: string; steps: StepOutcome[]; skipped: string[]; refused: string[] };

interface CheckedStep {
  def: CapabilityDefinition;
  apply: boolean;
  raw: Record<string, unknown>;
}

/**
 * A planned step as the capability takes it: the rule's public input names turned into the
 * schema's keys, then the schema's own check (presence, choices, flags, lengths). A name the
 * capability does not have, a secret input, or a capability that cannot run from an alert is
 * refused here, before the incident is touched.
 */
export function checkPlannedStep(step: PlannedStep): CheckedStep {
  const def = capabilityBySlug(step.capability);
  if (!def || def.status !== 'built') throw new InputError(`${step.capability} is not a built capability`, { field: 'capability', code: 'ALERT_STEP_INVALID' });
  if (def.incident === 'creates') throw new InputError(`${step.capability} opens incidents; an alert rule declares through its own severity instead`, { field: 'capability', code: 'ALERT_STEP_INVALID' });
  const byName = new Map(Object.entries(def.inputs).map(([key, field]) => [publicName(key, field), { key, field }]));
  const raw: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(step.inputs)) {
    const found = byName.get(name);
    if (!found) throw new InputError(`${step.capability} has no input ${name} (its inputs: ${[...byName.keys()].join(', ')})`, { field: name, code: 'ALERT_STEP_INVALID' });
    if (found.field.secret) throw new InputError(`${step.capability}: ${name} is a secret and never comes from an alert`, { field: name, code: 'ALERT_STEP_INVALID' });
    raw[found.key] = value;
  }
  // The alert is the actor's reason wherever the capability records one and the rule did not word it.
  const reason = byName.get('reason');
  if (reason && raw[reason.key] === undefined) raw[reason.key] = step.reason;
  readInputs(def.inputs, raw);
  return { def, apply: step.apply, raw };
}

export async function handleAlert(deps: AlertDeps, eventName: string, payload: unknown): Promise<AlertOutcome> {
  const adapted = alertFromEvent(eventName, payload);
  if (adapted.alert === null) return { kind: 'ignored', reason: adapted.why };
  const alert = adapted.alert;
  const decision = decide(alert, deps.config.alerts);
  if (!decision) return { kind: 'ignored', reason: `no rule in alerts.rules matches ${alert.source}/${alert.fingerprint}` };
  const actor = `alert:${alert.source}`;
  const label = fingerprintLabel(alert);
  const checked: CheckedStep[] = [];
  const refused: string[] = [];
  for (const s of decision.steps) {
    try {
      checked.push(checkPlannedStep(s));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      refused.push(`${s.capability}: ${errorView(error, new Redactor()).message}`);
    }
  }

  let kind: 'declared' | 'attached' = 'attached';
  let incident = await openIncidentFor(deps, label);
  if (!incident) {
    kind = 'declared';
    const declare = capabilityBySlug('declare')!;
    const run = await deps.run({
      def: declare,
      raw: { title: plain(alert.title), slug: `alert-${fingerprintKey(alert).slice(0, 8)}`, summary: summaryOf(alert, decision.rule.name), ...(decision.severity ? { severity: decision.severity } : {}) },
      dryRun: false,
      incidentId: null,
      actor,
    });
    if (run.failure !== undefined) throw run.failure;
    const id = run.entry!.record.incidentId!;
    const issue = await incidentIssue(deps, id);
    await deps.octokit.rest.issues.addLabels({ owner: deps.owner, repo: deps.repo, issue_number: issue, labels: [label] });
    incident = { id, issue };
  }
  await deps.octokit.rest.issues.createComment({
    owner: deps.owner,
    repo: deps.repo,
    issue_number: incident.issue,
    body: `${fingerprintMarker(alert)}\n🔔 ${kind === 'declared' ? 'Opened by' : 'Attached'} alert **${escape(alert.source)}** \`${alert.fingerprint}\` (rule \`${decision.rule.name}\`): ${escape(alert.title)}${alert.addresses.length ? `\n\nAddresses: ${alert.addresses.map((a) => `\`${a.replace(/`/g, "")}\``).join(', ')}` : ''}${refused.length ? `\n\nRefused by the rule's step check (nothing ran for these):\n${refused.map((r) => `- ${escape(r)}`).join('\n')}` : ''}`,
  });

  const steps: StepOutcome[] = [];
  for (const s of checked) {
    const run = await deps.run({ def: s.def, raw: s.raw, dryRun: !s.apply, incidentId: incident.id, actor });
    steps.push({ capability: s.def.slug, dryRun: !s.apply, status: run.status, ...(run.failure !== undefined ? { error: errorView(run.failure, run.redactor).message } : {}) });
  }
  return { kind, incidentId: incident.id, issue: incident.issue, rule: decision.rule.name, steps, skipped: decision.skipped, refused };
}

async function openIncidentFor(deps: AlertDeps, label: string): Promise<{ id: string; issue: number } | undefined> {
  const issues = await deps.octokit.paginate(deps.octokit.rest.issues.listForRepo, { owner: deps.owner, repo: deps.repo, labels: `incident,${label}`, state: 'open', per_page: 100 });
  for (const i of issues.sort((a, b) => a.number - b.number)) {
    const id = /^\[(INC-[^\]]+)\]/.exec(i.title)?.[1];
    if (id && !i.pull_request) return { id, issue: i.number };
  }
  return undefined;
}

async function incidentIssue(deps: AlertDeps, id: string): Promise<number> {
  const issues = await deps.octokit.paginate(deps.octokit.rest.issues.listForRepo, { owner: deps.owner, repo: deps.repo, labels: 'incident', state: 'open', per_page: 100 });
  const found = issues.filter((i) => i.title.startsWith(`[${id}]`) && !i.pull_request).sort((a, b) => a.number - b.number)[0];
  if (!found) throw new Error(`declare recorded ${id} but no open incident issue has that id`);
  return found.number;
}

function summaryOf(alert: Alert, rule: string): string {
  return plain(`${alertReason(alert, { name: rule } as never)}${alert.url ? ` — ${alert.url}` : ''}`);
}

/**
 * Sender text that declare writes into the issue title and body: no mentions, HTML, links or
 * code spans, so an alert cannot ping people or format the incident page.
 */
function plain(text: string): string {
  return text.replace(/[@<>\[\]`|*_\\]/g, ' ').replace(/\s+/g, ' ').trim() || 'alert';
}

/** Alert text in Markdown: no mentions, links, HTML or formatting from the sender. */
function escape(text: string): string {
  return text.replace(/[`<>@\[\]*_|\\]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}
