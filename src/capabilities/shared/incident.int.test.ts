import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/parse.js';
import { GuardError, InputError, PartialFailureError } from '../../core/errors.js';
import { INCIDENT_STEPS } from '../../core/incident/state.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep, type StepContext } from '../../core/step.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { GitHubIncidentLedger, GitHubIssueAuditMirror, GitHubIssueAuditSink } from '../../providers/github/incident-ledger.js';
import type { AuditRecord } from '../../core/audit.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { githubClient } from '../../runtime/github-client.js';
import { classifyStep } from '../classify/step.js';
import { closeIncidentStep } from '../close-incident/step.js';
import { declareStep, declaredIncidentId } from '../declare/step.js';
import { loadIncident, type IncidentPorts } from './incident-support.js';
import { incidentTickStep, tickOpenIncidents } from '../incident-tick/step.js';
import { postUpdateStep } from '../post-update/step.js';
import { recordContainmentStep } from '../record-containment/step.js';
import { recordNotificationStep } from '../record-notification/step.js';
import { writePostmortemStep } from '../write-postmortem/step.js';

const CONFIG = `
version: 1
incident:
  severity: { scheme: P1-P4 }
  roster:
    incident_commander: [ic-alice]
    tech_lead: [tl-bob]
    comms_lead: [comms-carol]
    compliance_lead: [dpo-dan]
    senior_engineer: [senior-erin]
    team_lead: [lead-frank]
    security: [sec-gina]
    legal: [legal-hal]
  escalation:
    - { after_minutes: 30, notify: senior_engineer }
    - { after_minutes: 60, notify: team_lead }
    - { after_minutes: 0, notify: security, data_breach: true, from: declared }
    - { after_minutes: 0, notify: legal, data_breach: true, from: declared }
  regimes:
    custom:
      - { id: school, recipient: Partner school, within_hours: 48, when: { data_categories: [minors], severities: ["P1"] }, source: "Seed 000 runbook §7" }
  postmortem: { path: "docs/postmortems/incident_{timestamp}.md", front_matter: false }
`;

// Every test starts its own emulator with its own clock and sets up the state it needs: no test
// depends on another having run, nor on a clock another test moved.
let gh: GitHubEmulator;
let octokit: Octokit;
let ledger: GitHubIncidentLedger;
let ports: IncidentPorts;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock('2026-11-22T09:00:00Z');
  gh = await startGitHubEmulator({ now: () => clock.now() });
  octokit = githubClient(gh.env());
  ledger = new GitHubIncidentLedger(octokit, { owner: gh.owner, repo: gh.repo, sleep: clock.sleep, clock });
  ports = { ledger, config: parseConfig(CONFIG).incident };
});
afterEach(async () => {
  gh.assertNoViolations();
  await gh.stop();
});

function ctxFor(id: string, actor = 'ic-alice', extra: Partial<StepContext> = {}): StepContext {
  return makeContext({ audit: new GitHubIssueAuditSink(ledger, new MemoryAuditSink()), clock, sleep: clock.sleep, logger: memoryLogger(), actor, incidentId: id, dryRun: false, ...extra });
}

/**
 * Holds the first `n` requests that match until all `n` have arrived, then lets them go together:
 * racing writers really race (both read before either writes), without any timing.
 */
function barrier(n: number, match: (o: { method: string; url: string; body?: unknown }) => boolean): { released: () => number } {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  octokit.hook.before('request', async (options) => {
    if (arrived >= n || !match({ method: String(options.method), url: String(options.url), body: options.body })) return;
    if (++arrived === n) release();
    await all;
  });
  return { released: () => arrived };
}

async function comments(issue: number): Promise<string[]> {
  const list = await octokit.paginate(octokit.rest.issues.listComments, { owner: gh.owner, repo: gh.repo, issue_number: issue, per_page: 100 });
  return list.map((c) => c.body ?? '');
}
const notices = (all: string[]) => all.filter((b) => b.startsWith('<!-- firebreak:key=') );
const keyCount = (all: string[], prefix: string) => all.filter((b) => b.startsWith(`<!-- firebreak:key=${prefix}`)).length;

async function openMergedPr(branch: string, merge: boolean): Promise<number> {
  const base = await octokit.rest.git.getRef({ owner: gh.owner, repo: gh.repo, ref: 'heads/main' });
  await octokit.rest.git.createRef({ owner: gh.owner, repo: gh.repo, ref: `refs/heads/${branch}`, sha: base.data.object.sha });
  await octokit.rest.repos.createOrUpdateFileContents({ owner: gh.owner, repo: gh.repo, path: `fix/${branch}.txt`, branch, message: 'fix', content: Buffer.from('fix').toString('base64') });
  const pr = await octokit.rest.pulls.create({ owner: gh.owner, repo: gh.repo, head: branch, base: 'main', title: `Fix ${branch}` });
  if (merge) gh.state.mergePull(pr.data.number);
  return pr.data.number;
}

describe('incident lifecycle against the GitHub emulator', () => {
  const raw = {
    title: 'Admin token leaked',
    slug: 'admin-token',
    answers: 'security_breach',
    summary: 'An admin token was found in a public paste.',
    facts: { discovered_at: '2026-11-22T08:30:00Z', data_categories: ['personal', 'minors'], eu_subjects: true, affected_by_state: { CA: 600, TX: 300 } },
  };
  const id = 'INC-2026-11-22-admin-token';

  /** Declared at 09:00; with `updates`, an internal and an external update at 09:10. */
  async function declared(updates: boolean): Promise<number> {
    await runStep(declareStep, raw, ports, ctxFor(id));
    if (updates) {
      clock.set('2026-11-22T09:10:00Z');
      await runStep(postUpdateStep, { audience: 'internal', kind: 'initial', status: 'investigating', impact: 'admin API', text: 'token revoked on db-1.prod.internal' }, ports, ctxFor(id));
      await runStep(postUpdateStep, { audience: 'external', status: 'mitigating', text: 'Some admin features are unavailable while we investigate.' }, ports, ctxFor(id));
    }
    return (await ledger.findIncident(id))!.number;
  }

  it('declare opens one issue with labels, roles, ack deadline, obligations and timeline; a re-run converges', async () => {
    expect(declaredIncidentId(raw, clock.now())).toBe(id);
    const run = await runStep(declareStep, raw, ports, ctxFor(id));
    expect(run.entry.record.status).toBe('applied');
    const found = await ledger.findIncident(id);
    const issue = found!.number;
    expect(found!.labels.sort()).toEqual(['incident', 'severity:P1', 'status:open']);
    const body = (await octokit.rest.issues.get({ owner: gh.owner, repo: gh.repo, issue_number: issue })).data.body!;
    expect(body).toContain('**Acknowledge by:** 2026-11-22 09:15Z');
    expect(body).toContain('@ic-alice');
    expect(body).toContain('`gdpr-authority`');
    expect(body).toContain('`state-TX-attorney-general`');
    expect(body).toContain('`school`');
    expect(body).toContain('```mermaid');
    const again = await runStep(declareStep, raw, ports, ctxFor(id));
    expect(again.entry.record.status).toBe('noop');
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: gh.owner, repo: gh.repo, labels: 'incident', state: 'all' });
    expect(all.filter((i) => i.title.startsWith(`[${id}]`))).toHaveLength(1);
    const { state } = await loadIncident(ports, id);
    expect(state.severity).toBe('P1');
    expect(state.roles.incident_commander).toEqual(['ic-alice']);
  });

  it('an update is posted; external text with internal details is refused and nothing is posted', async () => {
    const issue = await declared(false);
    clock.advance(10 * 60_000);
    await runStep(postUpdateStep, { audience: 'internal', kind: 'initial', status: 'investigating', impact: 'admin API', text: 'token revoked on db-1.prod.internal' }, ports, ctxFor(id));
    const before = notices(await comments(issue)).length;
    await expect(runStep(postUpdateStep, { audience: 'external', status: 'mitigating', text: 'We restarted 10.0.3.17 after a Traceback (most recent call last)' }, ports, ctxFor(id))).rejects.toMatchObject({
      code: 'INTERNAL_DETAIL',
    });
    expect(notices(await comments(issue)).length).toBe(before);
    await runStep(postUpdateStep, { audience: 'external', status: 'mitigating', text: 'Some admin features are unavailable while we investigate.' }, ports, ctxFor(id));
    const { state } = await loadIncident(ports, id);
    expect(state.updates.map((u) => u.audience)).toEqual(['internal', 'external']);
    expect(state.lastUpdateAt).toBe('2026-11-22T09:10:00.000Z');
  });

  it('ticks: reminder and escalation when silent, no duplicates on a second tick or a race', async () => {
    const issue = await declared(true);
    clock.set('2026-11-22T09:41:00Z');
    const tick = async (n: string) => {
      const r = await runStep(incidentTickStep, {}, ports, ctxFor(n, 'github-actions'));
      return { posted: r.result?.outcomes.filter((o) => o.status === 'applied' && o.target === 'github:comment').length ?? 0 };
    };
    const first = await tickOpenIncidents(ports, tick, () => clock.now());
    expect(first).toEqual([{ id, posted: 4, skipped: false }]);
    let all = await comments(issue);
    expect(keyCount(all, 'reminder:')).toBe(1);
    expect(all.find((b) => b.includes('firebreak:key=reminder:'))).toContain('@ic-alice');
    expect(all.find((b) => b.includes('firebreak:key=escalate:senior_engineer'))).toContain('@senior-erin');
    expect(keyCount(all, 'escalate:security')).toBe(1);
    expect(keyCount(all, 'escalate:legal')).toBe(1);
    expect(keyCount(all, 'escalate:team_lead')).toBe(0);
    const count = all.length;
    const second = await tickOpenIncidents(ports, tick, () => clock.now());
    expect(second).toEqual([{ id, posted: 0, skipped: true }]);
    expect((await comments(issue)).length).toBe(count);

    // 30 more silent minutes: the next reminder and the team lead; two racing ticks post each once.
    clock.set('2026-11-22T10:11:00Z');
    // Both ticks have read the comments before either posts its first notice.
    const race = barrier(2, (o) => o.method === 'POST' && o.url.endsWith('/issues/{issue_number}/comments') && String(o.body ?? '').startsWith('<!-- firebreak:key='));
    await Promise.all([runStep(incidentTickStep, {}, ports, ctxFor(id, 'tick-a')), runStep(incidentTickStep, {}, ports, ctxFor(id, 'tick-b'))]);
    expect(race.released()).toBe(2);
    all = await comments(issue);
    expect(keyCount(all, 'reminder:')).toBe(2);
    expect(keyCount(all, 'escalate:team_lead')).toBe(1);
    const records = await ledger.readEntries(issue);
    expect(records.entries.map((e) => e.seq)).toEqual(records.entries.map((_, i) => i + 1));
  });

  it('a failed comment is reported per notice and a re-run converges', async () => {
    const issue = await declared(true);
    clock.set('2026-11-24T05:00:00Z'); // school due 2026-11-24T08:30Z: the 4 h warning
    gh.faults.add({ method: 'POST', path: `/repos/${gh.owner}/${gh.repo}/issues/${issue}/comments`, status: 403, body: { message: 'Resource not accessible by integration' } });
    await expect(runStep(incidentTickStep, {}, ports, ctxFor(id, 'github-actions'))).rejects.toBeInstanceOf(PartialFailureError);
    const r = await runStep(incidentTickStep, {}, ports, ctxFor(id, 'github-actions'));
    expect(r.result!.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    const all = await comments(issue);
    expect(keyCount(all, 'warn:school:4h')).toBe(1);
    expect(keyCount(all, 'warn:school:24h')).toBe(0);
  });

  it('the close gate refuses with every reason, then passes once each is satisfied', async () => {
    await declared(true);
    clock.set('2026-11-22T09:41:00Z');
    await runStep(incidentTickStep, {}, ports, ctxFor(id, 'github-actions')); // the reminder in the timeline
    clock.set('2026-11-24T05:00:00Z');
    const refuse = async () => {
      try {
        await runStep(closeIncidentStep, {}, ports, ctxFor(id));
      } catch (e) {
        return e as GuardError;
      }
      throw new Error('close was not refused');
    };
    let e = await refuse();
    expect(e.code).toBe('CLOSE_GATE');
    const codes = () => (e.details.problems as Array<{ code: string }>).map((p) => p.code);
    expect(codes()).toEqual(['CONTAINMENT_MISSING', 'OBLIGATIONS_OPEN', 'FIX_PR_MISSING', 'POSTMORTEM_PR_MISSING']);
    expect((await ledger.findIncident(id))!.state).toBe('open');

    await runStep(recordContainmentStep, { action: 'Revoked the admin token and rotated the signing key' }, ports, ctxFor(id));
    const { obligations } = await loadIncident(ports, id);
    for (const o of obligations) {
      const input = o.id === 'state-TX-attorney-general' ? { obligation: o.id, waive_reason: 'counsel: TX residents not affected after review' } : { obligation: o.id, recipient: o.recipient, sent_at: '2026-11-24T04:00:00Z', reference: `REF-${o.id}` };
      await runStep(recordNotificationStep, input, ports, ctxFor(id, 'dpo-dan'));
    }
    await expect(runStep(recordNotificationStep, { obligation: 'hipaa-hhs', recipient: 'HHS' }, ports, ctxFor(id))).rejects.toBeInstanceOf(InputError);
    const fix = await openMergedPr('fix-token', false);
    await runStep(postUpdateStep, { status: 'monitoring', text: 'fix under review', fix_pr: fix }, ports, ctxFor(id));
    e = await refuse();
    expect(codes()).toEqual(['FIX_PR_NOT_MERGED', 'POSTMORTEM_PR_MISSING']);
    gh.state.mergePull(fix);

    await runStep(writePostmortemStep, { action_items: ['Scan pastes for our tokens', 'Shorten admin token lifetime'], root_cause: 'A token was committed to a gist.' }, ports, ctxFor(id));
    const pm = await ledger.findPullByBranch(`firebreak/postmortem/${id}`);
    expect(pm?.state).toBe('open');
    const { state } = await loadIncident(ports, id);
    expect(state.postmortem!.path).toBe('docs/postmortems/incident_20261124T050000Z.md');
    const doc = gh.state.file(`firebreak/postmortem/${id}`, state.postmortem!.path)!;
    expect(doc).toContain('## Timeline');
    expect(doc).toContain('```mermaid');
    expect(doc).toContain('### Five whys');
    expect(doc).toContain('| Partner school | `school` |');
    expect(doc).toContain('REF-gdpr-authority');
    expect(doc).toMatch(/- \[ \] Scan pastes for our tokens — #\d+/);
    const again = await runStep(writePostmortemStep, { action_items: ['Scan pastes for our tokens', 'Shorten admin token lifetime'] }, ports, ctxFor(id));
    expect(again.entry.record.status).toBe('noop');

    // A postmortem PR closed without merging does not pass the gate; write-postmortem opens a new one.
    await octokit.rest.issues.update({ owner: gh.owner, repo: gh.repo, issue_number: pm!.number, state: 'closed' });
    e = await refuse();
    expect(codes()).toEqual(['POSTMORTEM_PR_MISSING']);
    expect(e.message).toContain(`postmortem PR #${pm!.number} was closed without merging`);
    const reopened = await runStep(writePostmortemStep, { action_items: ['Scan pastes for our tokens'] }, ports, ctxFor(id));
    expect(reopened.entry.record.status).toBe('applied');
    const pm2 = await ledger.findPullByBranch(`firebreak/postmortem/${id}`);
    expect(pm2).toMatchObject({ state: 'open', merged: false });
    expect(pm2!.number).not.toBe(pm!.number);

    const closed = await runStep(closeIncidentStep, { summary: 'Token revoked, fix merged.' }, ports, ctxFor(id));
    expect(closed.entry.record.status).toBe('applied');
    const after = await ledger.findIncident(id);
    expect(after!.state).toBe('closed');
    expect(after!.labels).toContain('status:closed');
    const s2 = await loadIncident(ports, id);
    expect(s2.state.status).toBe('closed');
    expect(s2.state.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['declared', 'update', 'containment', 'notification', 'reminder', 'postmortem', 'closed']));
    // A closed incident gets no more reminders.
    clock.advance(24 * 3_600_000);
    expect(await tickOpenIncidents(ports, async () => ({ posted: 1 }), () => clock.now())).toEqual([]);
  });

  it('an override closes an incident early, with the reason in the audit record; classify relabels', async () => {
    clock.set('2026-11-25T09:00:00Z');
    const raw2 = { title: 'Bot traffic', severity: 'P3', facts: { discovered_at: '2026-11-25T08:00:00Z' } };
    const id2 = declaredIncidentId(raw2, clock.now());
    await runStep(declareStep, raw2, ports, ctxFor(id2));
    const c = await runStep(classifyStep, { answers: 'core_feature_degraded', workaround: 'yes' }, ports, ctxFor(id2));
    expect((c.plan!.meta as { severity: string }).severity).toBe('P3');
    expect(c.entry.record.status).toBe('noop');
    await runStep(classifyStep, { answers: 'service_down' }, ports, ctxFor(id2));
    expect((await ledger.findIncident(id2))!.labels).toContain('severity:P1');
    await expect(runStep(closeIncidentStep, {}, ports, ctxFor(id2))).rejects.toBeInstanceOf(GuardError);
    const run = await runStep(closeIncidentStep, {}, ports, ctxFor(id2, 'ic-alice', { overrides: [{ guard: 'CLOSE_GATE', reason: 'false positive, no impact' }] }));
    expect(run.entry.record.override).toEqual({ guard: 'CLOSE_GATE', reason: 'false positive, no impact' });
    const issue2 = (await ledger.findIncident(id2))!;
    expect(issue2.state).toBe('closed');
    const records = await ledger.readRecords(issue2.number);
    expect(records.at(-1)!.step).toBe(INCIDENT_STEPS.close);
    expect(records.at(-1)!.override?.reason).toBe('false positive, no impact');
  });

  it('the issue mirror carries other capabilities\' containment records; quiet ticks and unknown incidents stay off the issue', async () => {
    clock.set('2026-11-26T09:00:00Z');
    const raw3 = { title: 'Scanner flood', severity: 'P2', facts: { discovered_at: '2026-11-26T08:00:00Z' } };
    const id3 = declaredIncidentId(raw3, clock.now());
    await runStep(declareStep, raw3, ports, ctxFor(id3));
    const warnings: string[] = [];
    const mirror = new GitHubIssueAuditMirror(ledger, (m) => warnings.push(m));
    const file = new MemoryAuditSink();
    const record = (step: string, status: AuditRecord['status'], incidentId: string): AuditRecord => ({
      v: 1, time: clock.now().toISOString(), incidentId, actor: 'responder', runUrl: null, step, status, dryRun: false, input: { addresses: ['203.0.113.7'] }, plan: null, result: null, error: null,
    });
    await mirror.mirror(await file.append(record('block-ips', 'applied', id3)));
    await mirror.mirror(await file.append(record(INCIDENT_STEPS.tick, 'noop', id3)));
    await mirror.mirror(await file.append(record('block-ips', 'applied', 'INC-2026-11-26-nope')));
    const issue3 = (await ledger.findIncident(id3))!;
    const records = await ledger.readRecords(issue3.number);
    expect(records.map((r) => r.step)).toEqual(['declare', 'block-ips']);
    expect(warnings).toEqual([expect.stringContaining('no incident issue for INC-2026-11-26-nope')]);
    const { state } = await loadIncident(ports, id3);
    expect(state.containment.map((c) => c.step)).toEqual(['block-ips']);
  });

  it('two racing declares leave one incident issue; the other is closed as a duplicate', async () => {
    clock.set('2026-11-27T09:00:00Z');
    const raw4 = { title: 'Racing declare', severity: 'P2' };
    const id4 = declaredIncidentId(raw4, clock.now());
    const race = barrier(2, (o) => o.method === 'POST' && o.url === '/repos/{owner}/{repo}/issues');
    const runs = await Promise.allSettled([runStep(declareStep, raw4, ports, ctxFor(id4, 'a')), runStep(declareStep, raw4, ports, ctxFor(id4, 'b'))]);
    expect(runs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: gh.owner, repo: gh.repo, state: 'all', per_page: 100 });
    const mine = all.filter((i) => i.title.startsWith(`[${id4}]`));
    expect(race.released()).toBe(2);
    expect(mine).toHaveLength(2);
    expect(mine.filter((i) => i.state === 'open')).toHaveLength(1);
    for (const dup of mine.filter((i) => i.state === 'closed')) expect(dup.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['duplicate']);
    const winner = (await ledger.findIncident(id4))!;
    expect(winner.state).toBe('open');
    const { state } = await loadIncident(ports, id4);
    expect(state.id).toBe(id4);
    const steps = (await ledger.readRecords(winner.number)).map((r) => r.step);
    expect(steps.filter((s) => s === 'declare')).toHaveLength(2);
  });

  it('an edited audit comment breaks the issue chain and every step refuses to act on it', async () => {
    clock.set('2026-11-28T09:00:00Z');
    const raw5 = { title: 'Tamper check', severity: 'P4' };
    const id5 = declaredIncidentId(raw5, clock.now());
    await runStep(declareStep, raw5, ports, ctxFor(id5));
    await runStep(postUpdateStep, { text: 'first look' }, ports, ctxFor(id5));
    const issue5 = (await ledger.findIncident(id5))!;
    const list = await octokit.paginate(octokit.rest.issues.listComments, { owner: gh.owner, repo: gh.repo, issue_number: issue5.number, per_page: 100 });
    const audit = list.find((c) => (c.body ?? '').includes('seq=2 '))!;
    await octokit.rest.issues.updateComment({ owner: gh.owner, repo: gh.repo, comment_id: audit.id, body: audit.body!.replace('first look', 'nothing to see') });
    await expect(ledger.readRecords(issue5.number)).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', message: expect.stringContaining(`record 2 (comment ${audit.id})`) });
    await expect(runStep(incidentTickStep, {}, ports, ctxFor(id5, 'github-actions', { audit: new MemoryAuditSink() }))).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN' });
  });
});
