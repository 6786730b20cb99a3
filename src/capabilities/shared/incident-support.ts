import { createHash } from 'node:crypto';
import { AUDIT_FORMAT_VERSION, type AuditRecord } from '../../core/audit.js';
import type { IncidentConfig } from '../../core/config/sections/incident.js';
import { InputError } from '../../core/errors.js';
import { parseIncidentId } from '../../core/incident-id.js';
import type { Obligation } from '../../core/incident/clock.js';
import { incidentObligations } from '../../core/incident/internal-clocks.js';
import { renderIssueBody } from '../../core/incident/render.js';
import { resolveScheme, type ClassifyAnswers, type SeverityScheme } from '../../core/incident/severity.js';
import { deriveIncidentState, type IncidentState } from '../../core/incident/state.js';
import type { Outcome, Plan } from '../../core/plan.js';
import type { IncidentIssue, IncidentLedger, WriteOutcome } from '../../core/ports/incident-ledger.js';
import type { StepContext } from '../../core/step.js';

/** Ports every incident step receives. */
export interface IncidentPorts {
  ledger: IncidentLedger;
  config: IncidentConfig;
}

export const T_ISSUE = 'github:issue';
export const T_COMMENT = 'github:comment';
export const T_LABEL = 'github:label';
export const T_BODY = 'github:issue-body';
export const T_PULL = 'github:pull';

export interface LoadedIncident {
  issue: IncidentIssue;
  records: AuditRecord[];
  state: IncidentState;
  obligations: Obligation[];
  notes: string[];
  scheme: SeverityScheme;
}

export function requireIncidentId(ctx: StepContext): string {
  if (!ctx.incidentId) throw new InputError('this step needs an incident id (--incident INC-… or the incident-id input)', { field: 'incident-id', code: 'INCIDENT_ID_MISSING' });
  return parseIncidentId(ctx.incidentId, { field: 'incident-id', required: true });
}

/** Reads the incident's issue and derives its state from the audit records stored there. */
export async function loadIncident(ports: IncidentPorts, id: string): Promise<LoadedIncident> {
  const issue = await ports.ledger.findIncident(id);
  if (!issue) throw new InputError(`no incident ${id}: declare it first`, { field: 'incident-id', code: 'INCIDENT_NOT_FOUND' });
  const records = await ports.ledger.readRecords(issue.number);
  return fromRecords(ports, issue, records);
}

export function fromRecords(ports: IncidentPorts, issue: IncidentIssue, records: AuditRecord[]): LoadedIncident {
  const scheme = resolveScheme(ports.config);
  const state = deriveIncidentState(records, ports.config.containment_steps);
  if (!state) throw new InputError(`issue #${issue.number} has no applied declare record`, { field: 'incident-id', code: 'INCIDENT_NOT_DECLARED' });
  // Legal and the incident's own clocks (internal-postmortem, internal-assessment, …) alike.
  const { obligations, notes, warnings } = incidentObligations(state, ports.config);
  return { issue, records, state, obligations, notes: [...warnings.map((w) => `Warning: ${w}`), ...notes], scheme };
}

/** The record runStep is about to write for this run, so the issue body can already show it. */
export function provisionalRecord(ctx: StepContext, step: string, input: unknown, plan: Plan, outcomes: Outcome[]): AuditRecord {
  const override = ctx.overrides?.find((o) => plan.warnings.some((w) => w.includes(`Guard ${o.guard} overridden`)));
  return {
    v: AUDIT_FORMAT_VERSION,
    time: ctx.clock.now().toISOString(),
    incidentId: ctx.incidentId,
    actor: ctx.actor,
    runUrl: ctx.runUrl,
    step,
    status: 'applied',
    dryRun: false,
    input,
    plan,
    result: { status: 'ok', outcomes },
    error: null,
    override,
  };
}

/** Rebuilds the issue body from records + this run; one outcome. */
export async function refreshBody(ports: IncidentPorts, issue: IncidentIssue, records: AuditRecord[]): Promise<Outcome> {
  try {
    const loaded = fromRecords(ports, issue, records);
    const body = renderIssueBody(loaded.state, loaded.obligations, loaded.scheme, loaded.notes);
    const w = await ports.ledger.updateBody(issue.number, body);
    return outcome(T_BODY, 'update', `#${issue.number}`, w);
  } catch (error) {
    return { target: T_BODY, action: 'update', subject: `#${issue.number}`, status: 'failed', reason: (error as Error).message, retryable: true };
  }
}

export function outcome(target: string, action: string, subject: string, w: WriteOutcome): Outcome {
  return { target, action, subject, status: w === 'created' ? 'applied' : 'already' };
}

/** Runs one write and turns a throw into a failed outcome (a step reports, it does not throw per target). */
export async function attempt(target: string, action: string, subject: string, write: () => Promise<WriteOutcome>): Promise<Outcome> {
  try {
    return outcome(target, action, subject, await write());
  } catch (error) {
    const retryable = (error as { retryable?: boolean }).retryable;
    return { target, action, subject, status: 'failed', reason: (error as Error).message, retryable: retryable ?? false };
  }
}

export function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

export function mention(handles: readonly string[]): string {
  return handles.map((h) => `@${h}`).join(' ');
}

export function optionalString(raw: Record<string, unknown>, field: string, max = 20_000): string | undefined {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new InputError(`${field} must be text`, { field });
  const t = v.trim();
  if (t.length > max) throw new InputError(`${field} is longer than ${max} characters`, { field });
  return t === '' ? undefined : t;
}

export function optionalPr(raw: Record<string, unknown>, field: string): number | undefined {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).replace(/^#/, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new InputError(`${field} must be a pull request number`, { field });
  return n;
}

/** Checklist answers from an object or `a,b,c` / `a=yes,b=no` text; flags `workaround` and `unsure`. */
export function parseAnswers(raw: Record<string, unknown>): ClassifyAnswers {
  const a = raw.answers;
  const answers: Record<string, boolean> = {};
  if (typeof a === 'string') {
    for (const part of a.split(/[\s,]+/).filter(Boolean)) {
      const [k, v] = part.split('=');
      answers[k!.trim()] = v === undefined ? true : /^(y|yes|true|1)$/i.test(v.trim());
    }
  } else if (Array.isArray(a)) {
    for (const k of a) if (typeof k === 'string') answers[k] = true;
  } else if (a && typeof a === 'object') {
    for (const [k, v] of Object.entries(a)) answers[k] = v === true || v === 'yes' || v === 'true';
  } else if (a !== undefined && a !== null && a !== '') {
    throw new InputError('answers must be a list of checklist ids or an object', { field: 'answers' });
  }
  return { answers, workaround: flag(raw.workaround), unsure: flag(raw.unsure) };
}

function flag(v: unknown): boolean {
  return v === true || (typeof v === 'string' && /^(y|yes|true|1)$/i.test(v.trim()));
}
