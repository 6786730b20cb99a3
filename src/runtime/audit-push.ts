import type { AuditRecord, SealedEntry } from '../core/audit.js';
import { incidentOf, planPush, staysLocal, type PushConflict } from '../core/audit-sync.js';
import { ConflictError, asError } from '../core/errors.js';
import type { GitHubIncidentLedger } from '../providers/github/incident-ledger.js';
import { chainFor, validateChainName, type EvidenceAuditStore } from '../providers/aws/evidence-audit-store.js';
import { AuditMirrorError } from './audit-mirrors.js';

/**
 * `firebreak audit push`: copies the records of a local chain file (a laptop run during a GitHub or
 * AWS outage, or a runner's artifact) to the incident issues and the evidence bucket. Validate,
 * plan, apply: every destination is read and compared first; a run whose record is already there
 * with other content is a conflict and nothing at all is written. Re-running sends nothing new.
 */

export interface PushDestinations {
  store?: EvidenceAuditStore | undefined;
  ledger?: GitHubIncidentLedger | undefined;
}

export interface DestinationPlan {
  destination: string;
  send: SealedEntry[];
  already: number;
  conflicts: PushConflict[];
  /** Why records meant for this destination cannot go there (no incident issue yet). */
  skipped?: string;
  append(record: AuditRecord): Promise<void>;
}

export interface PushReport {
  destinations: Array<{ destination: string; sent: number[]; already: number; skipped?: string }>;
}

export async function planAuditPush(entries: readonly SealedEntry[], to: PushDestinations): Promise<DestinationPlan[]> {
  const shared = entries.filter((e) => !staysLocal(e.record));
  const plans: DestinationPlan[] = [];
  if (to.store) {
    const store = to.store;
    const chains = new Map<string, SealedEntry[]>();
    for (const e of shared) {
      const chain = validateChainName(chainFor(e.record));
      chains.set(chain, [...(chains.get(chain) ?? []), e]);
    }
    for (const [chain, local] of chains) {
      const plan = planPush(local, await store.records(chain));
      plans.push({ destination: store.uri(`audit/${chain}/`), send: plan.send, already: plan.already.length, conflicts: plan.conflicts, append: async (r) => void (await store.append(r)) });
    }
  }
  if (to.ledger) {
    const ledger = to.ledger;
    const incidents = new Map<string, SealedEntry[]>();
    for (const e of shared) {
      const id = incidentOf(e.record);
      if (id) incidents.set(id, [...(incidents.get(id) ?? []), e]);
    }
    for (const [id, local] of incidents) {
      const issue = await ledger.findIncident(id);
      if (!issue) {
        plans.push({ destination: `issue for ${id}`, send: [], already: 0, conflicts: [], skipped: `no incident issue for ${id} (${local.length} record(s) not pushed there)`, append: async () => {} });
        continue;
      }
      const { entries: remote } = await ledger.readEntries(issue.number);
      const plan = planPush(local, remote.map((r) => ({ record: r.record, where: `${issue.url} record ${r.seq}` })));
      plans.push({ destination: issue.url, send: plan.send, already: plan.already.length, conflicts: plan.conflicts, append: async (r) => void (await ledger.appendRecord(issue.number, r)) });
    }
  }
  return plans;
}

export async function pushAudit(entries: readonly SealedEntry[], to: PushDestinations): Promise<PushReport> {
  const plans = await planAuditPush(entries, to);
  const conflicts = plans.flatMap((p) => p.conflicts.map((c) => ({ destination: p.destination, ...c })));
  if (conflicts.length) {
    throw new ConflictError(
      `${conflicts.length} record(s) are already stored with different content; nothing was pushed: ${conflicts.map((c) => `local record ${c.seq} vs ${c.where}`).join('; ')}`,
      {
        code: 'AUDIT_PUSH_CONFLICT',
        hint: 'A stored copy says something else about the same run. Preserve both as evidence and compare them; a push never overwrites.',
        details: { conflicts },
      },
    );
  }
  const report: PushReport = { destinations: [] };
  for (const p of plans) {
    const row: PushReport['destinations'][number] = { destination: p.destination, sent: [], already: p.already, ...(p.skipped ? { skipped: p.skipped } : {}) };
    report.destinations.push(row);
    for (const e of p.send) {
      try {
        await p.append(e.record);
      } catch (error) {
        throw new AuditMirrorError(`pushed ${describeSent(report)}, then ${p.destination} failed at local record ${e.seq}: ${asError(error).message}`, {
          hint: 'Nothing pushed is undone and nothing is duplicated by a retry: run `firebreak audit push` again once the destination is reachable.',
          details: { pushed: report.destinations, failedAt: { destination: p.destination, seq: e.seq } },
          cause: error,
        });
      }
      row.sent.push(e.seq);
    }
  }
  return report;
}

function describeSent(report: PushReport): string {
  const parts = report.destinations.filter((d) => d.sent.length).map((d) => `${d.sent.length} record(s) to ${d.destination}`);
  return parts.length ? parts.join(', ') : 'nothing';
}
