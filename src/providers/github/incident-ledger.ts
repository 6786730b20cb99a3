import { createHash } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { incidentOf, staysLocal } from '../../core/audit-sync.js';
import { EMPTY_HEAD, checkLine, linkProblem, sealRecord, type AuditMirror, type AuditRecord, type AuditSink, type ChainHead, type SealedEntry } from '../../core/audit.js';
import { canonicalJson } from '../../core/canonical-json.js';
import { AuditChainError, ConflictError, ProviderError } from '../../core/errors.js';
import type { IncidentIssue, IncidentLedger, PullRequestInfo, WriteOutcome } from '../../core/ports/incident-ledger.js';
import { DEFAULT_RETRY_BUDGET_MS, isRetryableStatus, retryAfterFromHeaders, withRetry } from '../../core/retry.js';
import { systemClock, type Clock, type Sleep } from '../../core/runtime.js';

/**
 * The incident ledger on GitHub: one issue per incident, labelled `incident`, titled `[<id>] …`.
 *
 * Audit records are issue comments:
 *
 *     <!-- firebreak:audit seq=N hash=<64 hex> -->
 *     `<step>` <status> by <actor> at <time>
 *     ```json firebreak-audit
 *     {"seq":N,"prev":"…","hash":"…","record":{…}}      ← the exact line format of src/core/audit.ts
 *     ```
 *
 * The issue holds its own hash chain (seq 1 = the first record about this incident). Two writers
 * racing for the same seq both post; the comment with the lower id wins, the other is edited into
 * a `superseded` stub (the REST API has no comment delete in our subset) and re-sealed on the new
 * head. Keyed notices (`<!-- firebreak:key=… -->`) converge the same way.
 */

const AUDIT_MARKER = /<!-- firebreak:audit seq=(\d+) hash=([0-9a-f]{64}) -->/;
const KEY_MARKER = (key: string): string => `<!-- firebreak:key=${key} -->`;
const KEY_RE = /<!-- firebreak:key=(\S+) -->/;
const FENCE = /```json firebreak-audit\n(\{.*\})\n```/;
/** GitHub's comment limit is 65,536 characters; keep room for the header. */
const MAX_LINE = 60_000;

interface Comment {
  id: number;
  body: string;
}

export interface GitHubLedgerOptions {
  owner: string;
  repo: string;
  sleep: Sleep;
  attempts?: number;
  /** Total wait per call across retries, provider hints included (default DEFAULT_RETRY_BUDGET_MS). */
  retryBudgetMs?: number;
  /** Reads rate-limit reset times and says when to retry (default: the system clock). */
  clock?: Clock;
}

export class GitHubIncidentLedger implements IncidentLedger {
  private readonly owner: string;
  private readonly repo: string;

  constructor(
    private readonly octokit: Octokit,
    private readonly opts: GitHubLedgerOptions,
  ) {
    this.owner = opts.owner;
    this.repo = opts.repo;
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw toProviderError(operation, error, (this.opts.clock ?? systemClock).now());
        }
      },
      {
        attempts: this.opts.attempts ?? 4,
        baseMs: 200,
        maxMs: 5_000,
        sleep: this.opts.sleep,
        budgetMs: this.opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
        clock: this.opts.clock ?? systemClock,
        retryOn: (e) => e instanceof ProviderError && e.retryable,
      },
    );
  }

  async findIncident(id: string): Promise<IncidentIssue | undefined> {
    const prefix = `[${id}]`;
    const issues = await this.call('issues.listForRepo', () =>
      this.octokit.paginate(this.octokit.rest.issues.listForRepo, { owner: this.owner, repo: this.repo, labels: 'incident', state: 'all', per_page: 100 }),
    );
    const matches = issues.filter((i) => !i.pull_request && i.title.startsWith(prefix) && !labelNames(i.labels).includes('duplicate'));
    matches.sort((a, b) => a.number - b.number);
    const first = matches[0];
    return first ? toIssue(first) : undefined;
  }

  async listOpenIncidents(): Promise<Array<IncidentIssue & { id: string }>> {
    const issues = await this.call('issues.listForRepo', () =>
      this.octokit.paginate(this.octokit.rest.issues.listForRepo, { owner: this.owner, repo: this.repo, labels: 'incident', state: 'open', per_page: 100 }),
    );
    const out: Array<IncidentIssue & { id: string }> = [];
    for (const i of issues.sort((a, b) => a.number - b.number)) {
      const m = /^\[(INC-[^\]]+)\]/.exec(i.title);
      if (!m || i.pull_request || out.some((o) => o.id === m[1])) continue;
      out.push({ ...toIssue(i), id: m[1]! });
    }
    return out;
  }

  async openIncident(id: string, title: string, body: string, labels: string[]): Promise<{ issue: IncidentIssue; outcome: WriteOutcome }> {
    const existing = await this.findIncident(id);
    if (existing) return { issue: existing, outcome: 'already' };
    const created = await this.call('issues.create', () => this.octokit.rest.issues.create({ owner: this.owner, repo: this.repo, title, body, labels }));
    // A racing declare may have opened the same incident: the lowest number wins, ours is closed as duplicate.
    const winner = await this.findIncident(id);
    if (winner && winner.number !== created.data.number) {
      await this.call('issues.update', () =>
        this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: created.data.number, state: 'closed', labels: ['duplicate'], body: `Duplicate of #${winner.number}` }),
      );
      return { issue: winner, outcome: 'already' };
    }
    return { issue: toIssue(created.data), outcome: 'created' };
  }

  private async comments(issue: number): Promise<Comment[]> {
    const list = await this.call('issues.listComments', () =>
      this.octokit.paginate(this.octokit.rest.issues.listComments, { owner: this.owner, repo: this.repo, issue_number: issue, per_page: 100 }),
    );
    return list.map((c) => ({ id: c.id, body: c.body ?? '' })).sort((a, b) => a.id - b.id);
  }

  /**
   * Audit lines in chain order, verified, plus every fork: a sequence number claimed by more than
   * one live comment. The chain continues on the lowest comment id per seq; a fork's other comments
   * hold records that are NOT in the chain (a writer stopped between posting and standing down, or
   * a retried post landed twice), so it is reported, never silently dropped.
   */
  async readEntries(issue: number): Promise<{ entries: SealedEntry[]; head: ChainHead; forks: AuditFork[] }> {
    const bySeq = new Map<number, Array<{ id: number; line: string }>>();
    for (const c of await this.comments(issue)) {
      const m = AUDIT_MARKER.exec(c.body);
      const f = FENCE.exec(c.body);
      if (!m || !f) continue;
      const seq = Number(m[1]);
      bySeq.set(seq, [...(bySeq.get(seq) ?? []), { id: c.id, line: f[1]! }]);
    }
    const ordered = [...bySeq.entries()].sort(([a], [b]) => a - b);
    const forks: AuditFork[] = ordered.filter(([, cs]) => cs.length > 1).map(([seq, cs]) => ({ seq, kept: cs[0]!.id, others: cs.slice(1).map((c) => c.id) }));
    let head: ChainHead = EMPTY_HEAD;
    const entries: SealedEntry[] = [];
    for (const [seq, [{ id, line }]] of ordered as Array<[number, [{ id: number; line: string }]]>) {
      const checked = checkLine(line);
      if (typeof checked === 'string') throw chainError(issue, id, seq, checked);
      const broken = linkProblem(head, checked);
      if (broken) throw chainError(issue, id, seq, broken);
      const parsed = JSON.parse(line) as { record: AuditRecord };
      entries.push({ seq: checked.seq, prev: checked.prev, hash: checked.hash, record: parsed.record });
      head = { seq: checked.seq, hash: checked.hash };
    }
    return { entries, head, forks };
  }

  /**
   * The chain's records for a step to act on. A fork means a record may be missing from the chain:
   * re-read a few times (a racing writer stands its loser down within its own append), then refuse
   * with AUDIT_FORK naming the comments, instead of acting on a history that lost a record.
   */
  async readRecords(issue: number): Promise<AuditRecord[]> {
    for (let attempt = 1; ; attempt++) {
      const { entries, forks } = await this.readEntries(issue);
      if (forks.length === 0) return entries.map((e) => e.record);
      if (attempt >= FORK_REREADS) throw forkError(issue, forks);
      await this.opts.sleep(100 * attempt);
    }
  }

  /**
   * Seals `record` onto the issue's chain. Post, then look: the lowest comment id for a seq wins;
   * a loser edits its comment into a `superseded` stub and re-seals on the new head. A winner also
   * stands down any later copy of its own comment (a retried post that landed twice), so a race
   * leaves no fork behind; a writer that dies in between leaves one that readRecords reports.
   */
  async appendRecord(issue: number, record: AuditRecord): Promise<SealedEntry> {
    const stored = fitRecord(record);
    for (let attempt = 1; attempt <= 6; attempt++) {
      const { head } = await this.readEntries(issue);
      const { entry, line } = sealRecord(head, stored);
      const body = [
        `<!-- firebreak:audit seq=${entry.seq} hash=${entry.hash} -->`,
        `\`${record.step}\` ${record.status}${record.dryRun ? ' (dry run)' : ''} by ${record.actor} at ${record.time}${record.runUrl ? ` — [run](${record.runUrl})` : ''}`,
        '```json firebreak-audit',
        line,
        '```',
      ].join('\n');
      const created = await this.call('issues.createComment', () => this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: issue, body }));
      const rivals = (await this.comments(issue)).filter((c) => AUDIT_MARKER.exec(c.body)?.[1] === String(entry.seq));
      const winner = rivals[0];
      if (winner?.body === body) {
        for (const copy of rivals.slice(1).filter((c) => c.body === body)) await this.supersede(copy.id, `a second copy of comment ${winner.id} (a retried post)`);
        return entry;
      }
      await this.supersede(created.data.id, `seq ${entry.seq} was taken by a concurrent writer; re-sealed on the new head`);
      for (const copy of rivals.filter((c) => c.body === body && c.id !== created.data.id)) await this.supersede(copy.id, `seq ${entry.seq} was taken by a concurrent writer`);
      await this.opts.sleep(50 * attempt);
    }
    throw new ConflictError(`could not append to the audit chain on issue #${issue}: concurrent writers kept winning`, { code: 'AUDIT_APPEND_CONFLICT' });
  }

  private async supersede(commentId: number, why: string): Promise<void> {
    await this.call('issues.updateComment', () =>
      this.octokit.rest.issues.updateComment({ owner: this.owner, repo: this.repo, comment_id: commentId, body: `<!-- firebreak:superseded -->\n_Superseded: ${why}._` }),
    );
  }

  async postKeyed(issue: number, key: string, body: string): Promise<WriteOutcome> {
    const has = (c: Comment): boolean => KEY_RE.exec(c.body)?.[1] === key;
    if ((await this.comments(issue)).some(has)) return 'already';
    const created = await this.call('issues.createComment', () =>
      this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: issue, body: `${KEY_MARKER(key)}\n${body}` }),
    );
    const same = (await this.comments(issue)).filter(has);
    if (same[0]?.id === created.data.id) return 'created';
    await this.supersede(created.data.id, `duplicate of a notice a concurrent tick posted (${key})`);
    return 'already';
  }

  async setPrefixedLabel(issue: number, prefix: string, label: string): Promise<WriteOutcome> {
    const current = await this.call('issues.get', () => this.octokit.rest.issues.get({ owner: this.owner, repo: this.repo, issue_number: issue }));
    const names = labelNames(current.data.labels);
    const stale = names.filter((n) => n.startsWith(prefix) && n !== label);
    if (names.includes(label) && stale.length === 0) return 'already';
    const next = [...names.filter((n) => !n.startsWith(prefix)), label];
    await this.call('issues.setLabels', () => this.octokit.rest.issues.setLabels({ owner: this.owner, repo: this.repo, issue_number: issue, labels: next }));
    return 'created';
  }

  async updateBody(issue: number, body: string): Promise<WriteOutcome> {
    const current = await this.call('issues.get', () => this.octokit.rest.issues.get({ owner: this.owner, repo: this.repo, issue_number: issue }));
    if ((current.data.body ?? '') === body) return 'already';
    await this.call('issues.update', () => this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: issue, body }));
    return 'created';
  }

  async closeIssue(issue: number): Promise<WriteOutcome> {
    const current = await this.call('issues.get', () => this.octokit.rest.issues.get({ owner: this.owner, repo: this.repo, issue_number: issue }));
    if (current.data.state === 'closed') return 'already';
    await this.call('issues.update', () => this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: issue, state: 'closed', state_reason: 'completed' }));
    return 'created';
  }

  async getPull(number: number): Promise<PullRequestInfo | undefined> {
    try {
      const { data } = await this.octokit.rest.pulls.get({ owner: this.owner, repo: this.repo, pull_number: number });
      return toPull(data);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw toProviderError('pulls.get', error, (this.opts.clock ?? systemClock).now());
    }
  }

  async findPullByBranch(branch: string): Promise<PullRequestInfo | undefined> {
    const pulls = await this.call('pulls.list', () =>
      this.octokit.paginate(this.octokit.rest.pulls.list, { owner: this.owner, repo: this.repo, state: 'all', head: `${this.owner}:${branch}`, per_page: 100 }),
    );
    // An open PR first, then a merged one, then the newest: an old PR closed unmerged must not hide
    // the one that replaced it (nor be taken as the postmortem under review).
    const rank = (p: { state: string; merged_at?: string | null }): number => (p.state === 'open' ? 0 : p.merged_at ? 1 : 2);
    const match = pulls.filter((p) => p.head.ref === branch).sort((a, b) => rank(a) - rank(b) || b.number - a.number)[0];
    return match ? this.getPull(match.number) : undefined;
  }

  async openFilePull(args: { branch: string; base: string; path: string; content: string; title: string; body: string; message: string }): Promise<{ pull: PullRequestInfo; outcome: WriteOutcome }> {
    const existing = await this.findPullByBranch(args.branch);
    // A PR closed without merging was dropped: open a new one from the same branch.
    if (existing && (existing.state === 'open' || existing.merged)) return { pull: existing, outcome: 'already' };
    const base = await this.call('git.getRef', () => this.octokit.rest.git.getRef({ owner: this.owner, repo: this.repo, ref: `heads/${args.base}` }));
    try {
      await this.octokit.rest.git.createRef({ owner: this.owner, repo: this.repo, ref: `refs/heads/${args.branch}`, sha: base.data.object.sha });
    } catch (error) {
      // 422 "Reference already exists": a previous run got this far.
      if ((error as { status?: number }).status !== 422) throw toProviderError('git.createRef', error, (this.opts.clock ?? systemClock).now());
    }
    let sha: string | undefined;
    try {
      const cur = await this.octokit.rest.repos.getContent({ owner: this.owner, repo: this.repo, path: args.path, ref: args.branch });
      if (!Array.isArray(cur.data) && 'sha' in cur.data) sha = cur.data.sha;
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw toProviderError('repos.getContent', error, (this.opts.clock ?? systemClock).now());
    }
    await this.call('repos.createOrUpdateFileContents', () =>
      this.octokit.rest.repos.createOrUpdateFileContents({
        owner: this.owner,
        repo: this.repo,
        path: args.path,
        branch: args.branch,
        message: args.message,
        content: Buffer.from(args.content, 'utf8').toString('base64'),
        ...(sha ? { sha } : {}),
      }),
    );
    const created = await this.call('pulls.create', () =>
      this.octokit.rest.pulls.create({ owner: this.owner, repo: this.repo, head: args.branch, base: args.base, title: args.title, body: args.body }),
    );
    return { pull: toPull(created.data), outcome: 'created' };
  }

  async openKeyedIssue(key: string, title: string, body: string, labels: string[]): Promise<{ number: number; url: string; outcome: WriteOutcome }> {
    const marker = KEY_MARKER(key);
    const find = async () => {
      const issues = await this.call('issues.listForRepo', () =>
        this.octokit.paginate(this.octokit.rest.issues.listForRepo, { owner: this.owner, repo: this.repo, labels: labels.join(','), state: 'all', per_page: 100 }),
      );
      return issues.filter((i) => !i.pull_request && (i.body ?? '').includes(marker)).sort((a, b) => a.number - b.number);
    };
    const found = (await find())[0];
    if (found) return { number: found.number, url: found.html_url, outcome: 'already' };
    const created = await this.call('issues.create', () => this.octokit.rest.issues.create({ owner: this.owner, repo: this.repo, title, body: `${marker}\n${body}`, labels }));
    return { number: created.data.number, url: created.data.html_url, outcome: 'created' };
  }
}

/** The issue of an incident as a chain-owning AuditSink (records of other incidents are refused). */
export class GitHubIssueAuditSink implements AuditSink {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly ledger: GitHubIncidentLedger,
    private readonly fallback?: AuditSink,
  ) {}

  append(record: AuditRecord): Promise<SealedEntry> {
    const next = this.queue.then(() => this.appendNow(record));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async appendNow(record: AuditRecord): Promise<SealedEntry> {
    const id = incidentOf(record);
    const issue = id ? await this.ledger.findIncident(id) : undefined;
    if (!issue) {
      if (this.fallback) return this.fallback.append(record);
      throw new AuditChainError(`no incident issue for ${id ?? '(no incident id)'}: cannot store the audit record`, {
        hint: 'Declare the incident first, or pass the right incident id.',
      });
    }
    return this.ledger.appendRecord(issue.number, record);
  }
}

/**
 * Mirror for the action shell and CLI: copies every record that names an incident onto that
 * incident's issue (its own chain there). Records of unknown incidents are skipped with a warning,
 * so a dry run before `declare` does not fail.
 */
export class GitHubIssueAuditMirror implements AuditMirror {
  readonly name = 'github-issue';
  constructor(
    private readonly ledger: GitHubIncidentLedger,
    private readonly warn: (m: string) => void = () => {},
  ) {}

  async mirror(entry: SealedEntry): Promise<void> {
    const id = incidentOf(entry.record);
    if (!id) return;
    // A tick with nothing due happens every 15 minutes: keep it in the chain file, not on the issue.
    if (staysLocal(entry.record)) return;
    const issue = await this.ledger.findIncident(id);
    if (!issue) {
      this.warn(`no incident issue for ${id}: audit record ${entry.seq} kept in the chain file only`);
      return;
    }
    await this.ledger.appendRecord(issue.number, entry.record);
  }
}

/** Large plans (10k addresses) exceed a comment: keep the record, replace plan/result by their digest. */
function fitRecord(record: AuditRecord): AuditRecord {
  if (canonicalJson(record).length <= MAX_LINE) return record;
  const digest = (v: unknown) => ({ omitted: 'too large for an issue comment; full record in the chain file', sha256: createHash('sha256').update(canonicalJson(v ?? null)).digest('hex') });
  return { ...record, plan: digest(record.plan), result: digest(record.result), input: canonicalJson(record.input ?? null).length > 20_000 ? digest(record.input) : record.input, ...(record.given !== undefined && canonicalJson(record.given).length > 20_000 ? { given: digest(record.given) } : {}) };
}

/** A seq claimed by more than one live audit comment: `others` hold records missing from the chain. */
export interface AuditFork {
  seq: number;
  kept: number;
  others: number[];
}

const FORK_REREADS = 4;

function forkError(issue: number, forks: AuditFork[]): ConflictError {
  const list = forks.map((f) => `record ${f.seq}: comment ${f.kept} is chained, comment(s) ${f.others.join(', ')} claim the same seq`).join('; ');
  return new ConflictError(`audit chain on issue #${issue} forks (${list}): a record may be missing from the chain`, {
    code: 'AUDIT_FORK',
    hint: 'A writer stopped between posting and standing down, or two posts landed. Compare the named comments with the chain file; copy any record not in the chain into the incident notes, edit the extra comment to `<!-- firebreak:superseded -->`, then re-run.',
    details: { issue, forks },
  });
}

function chainError(issue: number, commentId: number, seq: number, reason: string): AuditChainError {
  return new AuditChainError(`audit chain on issue #${issue} is broken at record ${seq} (comment ${commentId}): ${reason}`, {
    hint: 'Someone edited or deleted an audit comment. Preserve the issue as evidence; the file chain and evidence store hold copies.',
  });
}

function labelNames(labels: ReadonlyArray<string | { name?: string | undefined }>): string[] {
  return labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);
}

function toIssue(i: { number: number; html_url: string; title: string; state: string; labels: ReadonlyArray<string | { name?: string | undefined }> }): IncidentIssue {
  return { number: i.number, url: i.html_url, title: i.title, state: i.state === 'closed' ? 'closed' : 'open', labels: labelNames(i.labels) };
}

function toPull(p: { number: number; html_url: string; state: string; merged?: boolean | null; merged_at?: string | null; head: { ref: string } }): PullRequestInfo {
  return { number: p.number, url: p.html_url, state: p.state === 'closed' ? 'closed' : 'open', merged: p.merged === true || !!p.merged_at, head: p.head.ref };
}

/** GitHub asks for a wait once a rate limit is hit and sends no reset hint: at least a minute (GitHub REST docs). */
const SECONDARY_LIMIT_DEFAULT_MS = 60_000;

/**
 * A failed Octokit call as a ProviderError. Rate limits (primary or secondary) answer 403 or 429;
 * they are retryable, with the wait GitHub gives: `retry-after`, else `x-ratelimit-reset` when
 * `x-ratelimit-remaining` is 0, else a minute for a 403/429 whose message says "rate limit".
 */
export function toProviderError(operation: string, error: unknown, now: Date): ProviderError {
  if (error instanceof ProviderError) return error;
  const status = (error as { status?: number }).status;
  const message = (error as { message?: string }).message ?? String(error);
  const headers = (error as { response?: { headers?: Record<string, string | number | undefined> } }).response?.headers;
  const limited = status === 403 || status === 429 ? (retryAfterFromHeaders(headers, now) ?? (/rate limit/i.test(message) ? SECONDARY_LIMIT_DEFAULT_MS : undefined)) : undefined;
  const retryAfterMs = limited ?? (status !== undefined && isRetryableStatus(status) ? retryAfterFromHeaders(headers, now) : undefined);
  return new ProviderError(`GitHub ${operation} failed${status ? ` (${status})` : ''}: ${message}`, {
    provider: 'github',
    operation,
    ...(status !== undefined ? { status } : {}),
    retryable: limited !== undefined || isRetryableStatus(status),
    ...(limited !== undefined ? { code: 'RATE_LIMITED' } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    cause: error,
  });
}
