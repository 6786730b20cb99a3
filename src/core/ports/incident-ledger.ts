import type { AuditRecord } from '../audit.js';

/**
 * Where incidents live: one issue per incident in a GitHub repository. The issue body is a view,
 * the audit comments are the truth. Every write is idempotent by a key carried in the written
 * object (a hidden marker), so a retried or racing step converges instead of duplicating.
 */

export interface IncidentIssue {
  number: number;
  url: string;
  title: string;
  state: 'open' | 'closed';
  labels: string[];
}

export interface PullRequestInfo {
  number: number;
  url: string;
  state: 'open' | 'closed';
  merged: boolean;
  head: string;
}

export type WriteOutcome = 'created' | 'already';

export interface IncidentLedger {
  /** The issue of an incident id, or undefined. */
  findIncident(id: string): Promise<IncidentIssue | undefined>;
  /** Open incidents' issues (label `incident`, state open), oldest first. */
  listOpenIncidents(): Promise<Array<IncidentIssue & { id: string }>>;
  /** Opens the incident issue unless one with this id exists (then returns it, `already`). */
  openIncident(id: string, title: string, body: string, labels: string[]): Promise<{ issue: IncidentIssue; outcome: WriteOutcome }>;
  /** Audit records stored on the issue, in chain order, after verifying the chain. */
  readRecords(issue: number): Promise<AuditRecord[]>;
  /** Posts a comment carrying `key` unless one already does; a racing duplicate is removed. */
  postKeyed(issue: number, key: string, body: string): Promise<WriteOutcome>;
  /** Replaces the labels that start with `prefix` by `label` (e.g. `severity:` → `severity:SEV1`). */
  setPrefixedLabel(issue: number, prefix: string, label: string): Promise<WriteOutcome>;
  updateBody(issue: number, body: string): Promise<WriteOutcome>;
  closeIssue(issue: number): Promise<WriteOutcome>;
  getPull(number: number): Promise<PullRequestInfo | undefined>;
  findPullByBranch(branch: string): Promise<PullRequestInfo | undefined>;
  /** Creates `branch` from `base`, writes `path`, opens a PR — each part skipped if already there. */
  openFilePull(args: { branch: string; base: string; path: string; content: string; title: string; body: string; message: string }): Promise<{ pull: PullRequestInfo; outcome: WriteOutcome }>;
  /** Opens an issue carrying `key` unless one does; returns its number. */
  openKeyedIssue(key: string, title: string, body: string, labels: string[]): Promise<{ number: number; url: string; outcome: WriteOutcome }>;
}
