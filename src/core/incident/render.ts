import type { IncidentConfig } from '../config/sections/incident.js';
import { InputError } from '../errors.js';
import { describeAffectedSubjects } from './affected-subjects.js';
import type { Obligation } from './clock.js';
import { routedCategories } from './routing.js';
import type { SeverityScheme } from './severity.js';
import { findLevel } from './severity.js';
import type { IncidentState, TimelineEvent } from './state.js';

/**
 * Text rendered from the incident state: ids, the issue body (a view, rebuilt after every step —
 * the state lives in the audit comments), the Mermaid timeline and the postmortem.
 */

export const INCIDENT_LABEL = 'incident';
export const severityLabel = (sev: string): string => `severity:${sev}`;
export const statusLabel = (status: string): string => `status:${status}`;

export function slugify(text: string): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  if (!s) throw new InputError('slug is empty after normalising; use letters or digits', { field: 'slug' });
  return s;
}

/** `INC-2026-11-22-<slug>` from the UTC date of declaration. */
export function incidentIdFor(at: Date, slug: string): string {
  return `INC-${at.toISOString().slice(0, 10)}-${slugify(slug)}`;
}

export const INCIDENT_ID = /^INC-\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/;

export function issueTitle(id: string, title: string): string {
  return `[${id}] ${title}`;
}

const fmt = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')}Z`;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Issue bodies and PR descriptions hold 65,536 characters: long incidents chart their latest events. */
export const MERMAID_MAX_EVENTS = 80;

export function mermaidTimeline(all: readonly TimelineEvent[]): string {
  const events = all.slice(-MERMAID_MAX_EVENTS);
  const lines = ['```mermaid', 'flowchart TD'];
  if (events.length < all.length) lines.push(`  %% ${all.length - events.length} earlier events are in the timeline table and the audit comments`);
  events.forEach((e, i) => {
    const label = `${fmt(e.at)} — ${e.what}`.replace(/"/g, '#quot;').replace(/[<>]/g, '');
    lines.push(`  e${i}["${label.length > 140 ? `${label.slice(0, 137)}…` : label}"]`);
    if (i > 0) lines.push(`  e${i - 1} --> e${i}`);
  });
  lines.push('```');
  return lines.join('\n');
}

export function obligationsTable(obligations: readonly Obligation[], state: IncidentState | undefined, roles: Record<string, string[]>): string {
  if (obligations.length === 0) return '_No regulatory obligations from the recorded facts._';
  const rows = obligations.map((o) => {
    const n = state?.notifications.get(o.id);
    const status = n?.sentAt ? `sent ${fmt(n.sentAt)}${n.reference ? ` (ref ${n.reference})` : ''}` : n?.waived ? `waived: ${n.waived}` : 'open';
    const owner = (roles[o.owner] ?? []).map((h) => `@${h}`).join(' ') || o.owner;
    return `| \`${o.id}\` | ${cell(o.recipient)} | ${fmt(o.due)} | ${cell(owner)} | ${cell(status)} | ${cell(`${o.basis.rule} — ${o.basis.source}`)} |`;
  });
  return ['| Id | Recipient | Due (UTC) | Owner | Status | Basis |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function renderIssueBody(state: IncidentState, obligations: readonly Obligation[], scheme: SeverityScheme, notes: readonly string[] = []): string {
  const level = findLevel(scheme, state.severity);
  const ackDue = new Date(Date.parse(state.declaredAt) + level.ack_minutes * 60_000).toISOString();
  const roles = Object.entries(state.roles)
    .map(([role, people]) => `| ${role.replace(/_/g, ' ')} | ${people.map((p) => `@${p}`).join(', ') || '_unassigned_'} |`)
    .join('\n');
  return [
    `<!-- firebreak:incident id=${state.id} -->`,
    `# ${state.id}: ${state.title}`,
    '',
    `**Severity:** ${state.severity} (${level.name}) · **Status:** ${state.status} · **Declared:** ${fmt(state.declaredAt)} · **Discovered:** ${fmt(state.facts.discovered_at)}`,
    `**Acknowledge by:** ${fmt(ackDue)} · **Updates every:** ${level.update_every_minutes} min`,
    '',
    state.summary,
    '',
    // Routing categories and the affected-subjects reference (never the list itself: it is evidence).
    ...(routedCategories(state).length ? [`**Categories:** ${routedCategories(state).join(', ')}`, ''] : []),
    ...(state.facts.affected_subjects ? [`**Affected:** ${describeAffectedSubjects(state.facts.affected_subjects)}`, ''] : []),
    '## Roles',
    '| Role | Who |',
    '|---|---|',
    roles || '| incident commander | _unassigned_ |',
    '',
    '## Obligations',
    obligationsTable(obligations, state, state.roles),
    ...(notes.length ? ['', ...notes.map((n) => `> ${n}`)] : []),
    '',
    '## Timeline',
    mermaidTimeline(state.timeline),
    '',
    '_This body is rebuilt from the audit records in the comments below; edit through firebreak steps, not by hand._',
  ].join('\n');
}

export function postmortemPath(template: string, state: IncidentState, now: Date): string {
  const ts = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return template
    .replace(/\{timestamp\}/g, ts)
    .replace(/\{date\}/g, state.declaredAt.slice(0, 10))
    .replace(/\{slug\}/g, state.slug)
    .replace(/\{id\}/g, state.id);
}

export interface PostmortemInput {
  state: IncidentState;
  obligations: readonly Obligation[];
  config: Pick<IncidentConfig, 'postmortem'>;
  actionItems: ReadonlyArray<{ text: string; issue?: number | undefined; url?: string | undefined }>;
  impact?: string | undefined;
  rootCause?: string | undefined;
  now: Date;
}

export function renderPostmortem(p: PostmortemInput): string {
  const { state } = p;
  const out: string[] = [];
  if (p.config.postmortem.front_matter) {
    out.push('---', `title: "Incident post-mortem — ${state.slug}"`, `date: ${state.declaredAt.slice(0, 10)}`, `severity: ${state.severity}`, `status: ${state.status === 'closed' ? 'closed' : 'draft'}`, `incident: ${state.id}`, '---', '');
  }
  const end = state.closedAt ?? p.now.toISOString();
  const mins = Math.max(0, Math.round((Date.parse(end) - Date.parse(state.declaredAt)) / 60_000));
  out.push(
    `# Incident — ${state.slug}`,
    '',
    `**Id:** ${state.id} · **Severity:** ${state.severity} · **Duration:** ${Math.floor(mins / 60)} h ${mins % 60} min · **Commander:** ${(state.roles.incident_commander ?? []).map((h) => `@${h}`).join(', ') || 'n/a'}`,
    '',
    '## Timeline',
    '| When (UTC) | What | Who |',
    '|---|---|---|',
    ...state.timeline.map((e) => `| ${fmt(e.at)} | ${cell(e.what)} | ${cell(e.actor)} |`),
    '',
    mermaidTimeline(state.timeline),
    '',
    '## Impact',
    p.impact ?? `- Data categories: ${state.facts.data_categories.join(', ') || 'none recorded'}\n- Affected individuals: ${Object.values(state.facts.affected_by_state).reduce((a, b) => a + b, 0) || 'N/A'}\n- Customer-visible impact: _fill in_`,
    '',
    '## Root cause',
    p.rootCause ?? '_Plain language, 1–3 paragraphs._',
    '',
    '### Five whys',
    ...[1, 2, 3, 4, 5].map((i) => `${i}. Why? _…_`),
    '',
    '## Containment',
    ...(state.containment.length ? state.containment.map((c) => `- ${fmt(c.at)} \`${c.step}\` by ${c.actor}`) : ['- _none recorded_']),
    '',
    '## What went well',
    '- _…_',
    '',
    "## What went badly",
    '- _…_',
    '',
    '## Action items',
    ...(p.actionItems.length ? p.actionItems.map((a) => `- [ ] ${a.text}${a.issue ? ` — #${a.issue}` : ''}`) : ['- [ ] _…_']),
    '',
    '## Regulatory notifications',
    '| Recipient | Id | Due (UTC) | Sent | Confirmation # |',
    '|---|---|---|---|---|',
    ...p.obligations.map((o) => {
      const n = state.notifications.get(o.id);
      const sent = n?.sentAt ? fmt(n.sentAt) : n?.waived ? `waived: ${cell(n.waived)}` : 'not sent';
      return `| ${cell(o.recipient)} | \`${o.id}\` | ${fmt(o.due)} | ${sent} | ${cell(n?.reference ?? '')} |`;
    }),
    '',
    `_Generated by firebreak from the audit records on the incident issue at ${fmt(p.now.toISOString())}._`,
  );
  return `${out.join('\n')}\n`;
}
