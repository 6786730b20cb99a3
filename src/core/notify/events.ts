import type { AuditRecord } from '../audit.js';
import type { NotifyEvent } from '../config/sections/notify.js';
import { INCIDENT_STEPS, deriveIncidentState, type IncidentState } from '../incident/state.js';

/**
 * What happened to an incident that people may need to hear about, derived from its audit records
 * (the same chain the issue body is built from). Each event has a stable key: the declaration, a
 * severity change at a time, an update at a time, a tick's posted key (`ack:overdue`,
 * `escalate:<role>:<rung>`, `warn:<obligation>:<h>h`, `overdue:<obligation>`), the close. A re-run
 * derives the same keys, which is what makes delivery idempotent.
 */

export interface IncidentEvent {
  key: string;
  event: NotifyEvent;
  at: string;
  /** Severity at the time the event is delivered (the current one). */
  severity: string;
  /** For `escalation`: the roster role paged and its rung (0-based position in the ladder). */
  role?: string;
  rung?: number;
  /** Update text and status for `update_posted` / `resolved`; the notice for tick events. */
  text?: string;
  status?: string;
  audience?: 'internal' | 'external';
}

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function incidentEvents(records: readonly AuditRecord[], containmentSteps: readonly string[]): { state: IncidentState; events: IncidentEvent[] } | undefined {
  const state = deriveIncidentState(records, containmentSteps);
  if (!state) return undefined;
  const events: IncidentEvent[] = [{ key: 'declared', event: 'declared', at: state.declaredAt, severity: state.severity }];
  let severity = undefined as string | undefined;
  for (const r of records) {
    if (r.dryRun || r.status !== 'applied') continue;
    const input = obj(r.input);
    switch (r.step) {
      case INCIDENT_STEPS.classify: {
        const sev = str(obj(obj(r.plan).meta).severity);
        if (sev && sev !== (severity ?? firstSeverity(records))) events.push({ key: `severity:${r.time}:${sev}`, event: 'severity_changed', at: r.time, severity: sev });
        if (sev) severity = sev;
        break;
      }
      case INCIDENT_STEPS.update: {
        const status = str(input.status) ?? 'investigating';
        const audience = input.audience === 'external' ? 'external' : 'internal';
        const text = str(input.text) ?? '';
        events.push({ key: `update:${r.time}`, event: status === 'resolved' ? 'resolved' : 'update_posted', at: r.time, severity: state.severity, text, status, audience });
        break;
      }
      case INCIDENT_STEPS.tick: {
        for (const o of (obj(r.result).outcomes as unknown[] | undefined) ?? []) {
          const oo = obj(o);
          const subject = str(oo.subject);
          if (oo.status !== 'applied' || !subject) continue;
          const ev = tickEvent(subject, r.time, state.severity);
          if (ev) events.push(ev);
        }
        break;
      }
      case INCIDENT_STEPS.close:
        events.push({ key: 'closed', event: 'closed', at: r.time, severity: state.severity });
        break;
      default:
        break;
    }
  }
  for (const e of events) e.severity = e.event === 'severity_changed' ? e.severity : state.severity;
  return { state, events };
}

function firstSeverity(records: readonly AuditRecord[]): string | undefined {
  const d = records.find((r) => r.step === INCIDENT_STEPS.declare && !r.dryRun && (r.status === 'applied' || r.status === 'noop'));
  return str(obj(obj(obj(d?.plan).meta).incident).severity);
}

/** A tick's posted key as an event; reminders about the update cadence are left to the issue. */
export function tickEvent(key: string, at: string, severity: string): IncidentEvent | undefined {
  const [kind, a, b] = key.split(':');
  if (kind === 'ack' && a === 'overdue') return { key, event: 'ack_overdue', at, severity };
  if (kind === 'escalate' && a) return { key, event: 'escalation', at, severity, role: a, rung: Number.parseInt(b ?? '0', 10) || 0 };
  if (kind === 'warn' || kind === 'overdue') return { key, event: 'deadline_warning', at, severity, text: kind === 'overdue' ? `Obligation ${a} is overdue` : `Obligation ${a} is due within ${b ?? ''}` };
  return undefined;
}
