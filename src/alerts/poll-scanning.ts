import { fingerprintLabel } from '../core/alerts/alert.js';
import { alertFromEvent } from '../core/alerts/adapters.js';
import { errorView } from '../core/error-view.js';
import { Redactor } from '../core/redact.js';
import { handleAlert, type AlertDeps } from './handle-alert.js';

/**
 * GitHub's own code-scanning and secret-scanning alerts, by poll: `code_scanning_alert` and
 * `secret_scanning_alert` are webhook-only events (no workflow can be triggered by them), and a
 * webhook receiver would be a server. scanning-alerts.yml runs this every 15 minutes.
 *
 * Each open alert is listed through the REST API (paginated, bounded), cut down to the fields the
 * `code-scanning` / `secret-scanning` adapters read, as the webhook event they would have received,
 * and sent through the same adapter and `alerts.rules` as a dispatched alert, so it gets the same
 * source and fingerprint (`cs:<number>`, `ss:<number>`) whichever way it arrived.
 *
 * A poll sees an alert again every 15 minutes while it stays open. That is not a new alert: an
 * alert whose fingerprint label is already on an incident is left alone (no comment, no step
 * re-run). On an open incident that is the storm going on; on a closed one, a responder closed the
 * incident while the alert stayed open (accepted, or fixed without closing the alert): the poll
 * reports it (`closed-incident`) and does not open it again every 15 minutes. Reopening the
 * incident, or dismissing / resolving the alert in GitHub, is the responder's call.
 *
 * The leaked value of a secret-scanning alert is never read: the list asks with `hide_secret=true`,
 * and each item is cut down to an allowlist of fields the moment its page arrives, so a server that
 * ignores the parameter still puts nothing of the secret into an alert, a log, an issue, an audit
 * record or the outcome (the outcome counts how many items carried one).
 */

export const SCANNING_SOURCES = ['code-scanning', 'secret-scanning'] as const;
export type ScanningSource = (typeof SCANNING_SOURCES)[number];

export interface PollOptions {
  sources?: readonly ScanningSource[];
  /** Items per page (GitHub's maximum is 100). */
  perPage?: number;
  /**
   * Pages read per list and poll, newest alerts first: a new alert is always on the first page,
   * however many old ones stay open. Alerts beyond the bound are reported (truncated), not read.
   */
  maxPages?: number;
}

export const DEFAULT_PER_PAGE = 100;
export const DEFAULT_MAX_PAGES = 10;

export interface ListReport {
  source: ScanningSource;
  listed: number;
  /** More open alerts than maxPages × perPage: the oldest were not read (raise --max-pages). */
  truncated: boolean;
  /** Items that came back with a `secret` value despite hide_secret (dropped unread). */
  secretsDropped?: number;
  error?: string;
}

export interface AlertReport {
  source: ScanningSource;
  number: number;
  fingerprint?: string;
  result: 'declared' | 'attached' | 'open-incident' | 'closed-incident' | 'ignored' | 'failed';
  incidentId?: string;
  issue?: number;
  reason?: string;
  error?: string;
}

export interface PollOutcome {
  lists: ListReport[];
  alerts: AlertReport[];
  /** A list could not be read, or an alert could not be handled: the run should fail visibly. */
  failed: boolean;
}

/** The fields the adapters read, and only those: the event body they would have been delivered in. */
type Projected = { eventName: 'code_scanning_alert' | 'secret_scanning_alert'; number: number; payload: Record<string, unknown> };

interface CodeScanningItem {
  number: number;
  state?: string | null;
  html_url: string;
  rule?: { id?: string | null; severity?: string | null; security_severity_level?: string | null; description?: string };
  tool?: { name?: string };
}

interface SecretScanningItem {
  number?: number;
  state?: string;
  html_url?: string;
  secret_type?: string;
  secret_type_display_name?: string;
  validity?: string;
  publicly_leaked?: boolean | null;
  secret?: string;
}

function projectCodeScanning(item: CodeScanningItem): Projected | undefined {
  // The list asked for state=open; anything else (a server that ignored the filter) is not an alert to act on.
  if (item.state !== 'open') return undefined;
  const rule = item.rule ?? {};
  return {
    eventName: 'code_scanning_alert',
    number: item.number,
    payload: {
      action: 'created',
      alert: {
        number: item.number,
        html_url: item.html_url,
        rule: { id: rule.id ?? null, severity: rule.severity ?? null, security_severity_level: rule.security_severity_level ?? null, description: rule.description ?? null },
        tool: item.tool?.name ? { name: item.tool.name } : null,
      },
    },
  };
}

function projectSecretScanning(item: SecretScanningItem): Projected | undefined {
  if (item.state !== 'open' || typeof item.number !== 'number') return undefined;
  return {
    eventName: 'secret_scanning_alert',
    number: item.number,
    payload: {
      action: item.publicly_leaked ? 'publicly_leaked' : 'created',
      alert: {
        number: item.number,
        ...(item.html_url ? { html_url: item.html_url } : {}),
        ...(item.secret_type ? { secret_type: item.secret_type } : {}),
        ...(item.secret_type_display_name ? { secret_type_display_name: item.secret_type_display_name } : {}),
        ...(item.validity ? { validity: item.validity } : {}),
      },
    },
  };
}

/** Open alerts of one source, newest first, at most maxPages pages; each item projected as its page arrives. */
async function listOpen(deps: AlertDeps, source: ScanningSource, perPage: number, maxPages: number): Promise<{ items: Projected[]; report: ListReport }> {
  const report: ListReport = { source, listed: 0, truncated: false };
  let pages = 0;
  const stop = (response: { headers: { link?: string } }, done: () => void) => {
    pages += 1;
    if (pages >= maxPages) {
      if (/rel="next"/.test(response.headers.link ?? '')) report.truncated = true;
      done();
    }
  };
  const common = { owner: deps.owner, repo: deps.repo, state: 'open' as const, sort: 'created' as const, direction: 'desc' as const, per_page: perPage };
  let items: Array<Projected | undefined>;
  if (source === 'code-scanning') {
    items = await deps.octokit.paginate(deps.octokit.rest.codeScanning.listAlertsForRepo, common, (response, done) => {
      stop(response, done);
      return (response.data as CodeScanningItem[]).map(projectCodeScanning);
    });
  } else {
    let dropped = 0;
    items = await deps.octokit.paginate(deps.octokit.rest.secretScanning.listAlertsForRepo, { ...common, hide_secret: true }, (response, done) => {
      stop(response, done);
      return (response.data as SecretScanningItem[]).map((item) => {
        if (item.secret !== undefined) dropped += 1;
        return projectSecretScanning(item);
      });
    });
    if (dropped > 0) report.secretsDropped = dropped;
  }
  const open = items.filter((i): i is Projected => i !== undefined);
  report.listed = open.length;
  return { items: open, report };
}

interface IncidentRef {
  id: string;
  issue: number;
  open: boolean;
}

/**
 * Every incident issue (`[INC-…]` titles), open or closed, by label, read once per poll; an open
 * incident wins over a closed one with the same label.
 */
async function incidentsByLabel(deps: AlertDeps): Promise<Map<string, IncidentRef>> {
  const issues = await deps.octokit.paginate(deps.octokit.rest.issues.listForRepo, { owner: deps.owner, repo: deps.repo, labels: 'incident', state: 'all', per_page: 100 });
  const byLabel = new Map<string, IncidentRef>();
  for (const i of issues.sort((a, b) => a.number - b.number)) {
    const id = /^\[(INC-[^\]]+)\]/.exec(i.title)?.[1];
    if (!id || i.pull_request) continue;
    const open = i.state === 'open';
    for (const l of i.labels) {
      const name = typeof l === 'string' ? l : l.name;
      if (!name) continue;
      const known = byLabel.get(name);
      if (!known || (open && !known.open)) byLabel.set(name, { id, issue: i.number, open });
    }
  }
  return byLabel;
}

/** What a responder needs from a failed call: the status and GitHub's message, nothing from the request. */
function describe(error: unknown): string {
  // Octokit's RequestError: its status and GitHub's message (its `request` holds the headers).
  const status = (error as { status?: unknown }).status;
  if (error instanceof Error && typeof status === 'number') return `GitHub answered ${status}: ${error.message.slice(0, 300)}`;
  return errorView(error, new Redactor()).message;
}

export async function pollScanningAlerts(deps: AlertDeps, opts: PollOptions = {}): Promise<PollOutcome> {
  const sources = opts.sources ?? SCANNING_SOURCES;
  const perPage = Math.min(Math.max(Math.trunc(opts.perPage ?? DEFAULT_PER_PAGE), 1), 100);
  const maxPages = Math.max(Math.trunc(opts.maxPages ?? DEFAULT_MAX_PAGES), 1);
  const outcome: PollOutcome = { lists: [], alerts: [], failed: false };

  // One list failing (code scanning not enabled, a 5xx) must not keep the other's alerts out.
  const listed: Projected[] = [];
  const sourceOf = new Map<Projected, ScanningSource>();
  for (const source of sources) {
    try {
      const { items, report } = await listOpen(deps, source, perPage, maxPages);
      outcome.lists.push(report);
      for (const i of items) {
        listed.push(i);
        sourceOf.set(i, source);
      }
    } catch (error) {
      outcome.lists.push({ source, listed: 0, truncated: false, error: describe(error) });
      outcome.failed = true;
    }
  }
  if (listed.length === 0) return outcome;

  const incidents = await incidentsByLabel(deps);
  for (const item of listed) {
    const source = sourceOf.get(item)!;
    const report: AlertReport = { source, number: item.number, result: 'failed' };
    outcome.alerts.push(report);
    try {
      const adapted = alertFromEvent(item.eventName, item.payload);
      if (adapted.alert === null) {
        Object.assign(report, { result: 'ignored', reason: adapted.why });
        continue;
      }
      report.fingerprint = adapted.alert.fingerprint;
      const label = fingerprintLabel(adapted.alert);
      const existing = incidents.get(label);
      if (existing) {
        Object.assign(report, { result: existing.open ? 'open-incident' : 'closed-incident', incidentId: existing.id, issue: existing.issue });
        continue;
      }
      const handled = await handleAlert(deps, item.eventName, item.payload);
      if (handled.kind === 'ignored') {
        Object.assign(report, { result: 'ignored', reason: handled.reason });
        continue;
      }
      Object.assign(report, { result: handled.kind, incidentId: handled.incidentId, issue: handled.issue });
      incidents.set(label, { id: handled.incidentId, issue: handled.issue, open: true });
      const stepErrors = handled.steps.filter((s) => s.error !== undefined);
      if (stepErrors.length > 0) {
        report.error = stepErrors.map((s) => `${s.capability}: ${s.error}`).join('; ');
        outcome.failed = true;
      }
    } catch (error) {
      report.result = 'failed';
      report.error = describe(error);
      outcome.failed = true;
    }
  }
  return outcome;
}
