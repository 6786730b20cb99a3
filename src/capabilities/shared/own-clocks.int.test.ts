import type { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/parse.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import type { Plan } from '../../core/plan.js';
import { renderPlanMarkdown } from '../../core/render.js';
import { makeContext, runStep, type StepContext } from '../../core/step.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { GitHubIncidentLedger, GitHubIssueAuditSink } from '../../providers/github/incident-ledger.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { githubClient } from '../../runtime/github-client.js';
import { classifyStep } from '../classify/step.js';
import { declareStep } from '../declare/step.js';
import { incidentTickStep } from '../incident-tick/step.js';
import { recordNotificationStep } from '../record-notification/step.js';
import { loadIncident, type IncidentPorts } from './incident-support.js';

/**
 * Issue 10 §6 and §7 through the real steps against the GitHub emulator: commander by severity and
 * routes by category (seed 004), internal clocks on the issue (seed 002 Step 3), and ticks from
 * EventBridge Scheduler (repository_dispatch) and GitHub's schedule sharing one slot.
 */
const CONFIG = `
version: 1
incident:
  severity: { scheme: P1-P4 }
  roster:
    incident_commander: [oncall-olga]
    senior_commander: [senior-sam]
    security_engineer: [sec-sid]
    ciso: [ciso-cy]
    devops_lead: [devops-dee]
  commander:
    - { severities: [P1, P2], role: senior_commander }
  routes:
    security: [{ notify: security_engineer }, { notify: ciso, after_minutes: 17 }]
    infrastructure: [{ notify: devops_lead }]
  own_clocks:
    - { kind: assessment, within_hours: 24, severities: [P1, P2], source: "Seed 002 Step 3" }
`;

let gh: GitHubEmulator;
let octokit: Octokit;
let ports: IncidentPorts;
let ledger: GitHubIncidentLedger;
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

const ctxFor = (id: string, actor = 'github-actions', extra: Partial<StepContext> = {}): StepContext =>
  makeContext({ audit: new GitHubIssueAuditSink(ledger, new MemoryAuditSink()), clock, sleep: clock.sleep, logger: memoryLogger(), actor, incidentId: id, dryRun: false, ...extra });

const planOf = (r: { entry: { record: { plan: unknown } } }): Plan => r.entry.record.plan as Plan;

async function keys(id: string): Promise<string[]> {
  const issue = (await ledger.findIncident(id))!.number;
  const list = await octokit.paginate(octokit.rest.issues.listComments, { owner: gh.owner, repo: gh.repo, issue_number: issue, per_page: 100 });
  return list.map((c) => /^<!-- firebreak:key=([^ ]+) -->/.exec(c.body ?? '')?.[1]).filter((k): k is string => k !== undefined && !k.startsWith('audit'));
}

describe('own clocks, commander and routes through the steps', () => {
  const id = 'INC-2026-11-22-paste';

  it('declare: a P3 gets the on-call commander; classify to P1 hands over to the senior roster and adds the route', async () => {
    await runStep(declareStep, { title: 'Token in a paste', slug: 'paste', severity: 'P3', category: 'infrastructure' }, ports, ctxFor(id, 'oncall-olga'));
    let { state, obligations } = await loadIncident(ports, id);
    expect(state.roles.incident_commander).toEqual(['oncall-olga']);
    expect(state.categories).toEqual(['infrastructure']);
    expect(obligations.map((o) => o.id)).toEqual([]);
    clock.set('2026-11-22T09:10:00Z');
    const run = await runStep(classifyStep, { severity: 'P1', category: 'security' }, ports, ctxFor(id, 'oncall-olga'));
    expect(planOf(run).warnings).toEqual(['P1 is commanded by @senior-sam (incident.commander): the commander changes']);
    ({ state, obligations } = await loadIncident(ports, id));
    expect(state.roles.incident_commander).toEqual(['senior-sam']);
    expect(state.categories).toEqual(['security']);
    // Seed 002 Step 3: P1 assessment within 24 h — an obligation on the issue, met with record-notification.
    expect(obligations.map((o) => [o.id, o.due])).toEqual([['internal-assessment', '2026-11-23T09:00:00.000Z']]);
    const body = (await octokit.rest.issues.get({ owner: gh.owner, repo: gh.repo, issue_number: (await ledger.findIncident(id))!.number })).data.body!;
    expect(body).toContain('`internal-assessment`');
    await runStep(recordNotificationStep, { obligation: 'internal-assessment', recipient: 'IC log', reference: 'evidence/assessment.md' }, ports, ctxFor(id, 'senior-sam'));
    expect((await loadIncident(ports, id)).state.notifications.get('internal-assessment')?.sentAt).toBe('2026-11-22T09:10:00.000Z');
  });

  it('an unknown category is refused before anything is written', async () => {
    await expect(runStep(declareStep, { title: 'X', slug: 'x', severity: 'P1', category: 'securty' }, ports, ctxFor('INC-2026-11-22-x'))).rejects.toMatchObject({ code: 'CATEGORY_UNKNOWN' });
    expect(await ledger.findIncident('INC-2026-11-22-x')).toBeUndefined();
  });

  it('ticks from EventBridge (repository_dispatch) and the GitHub schedule share a slot: the second posts nothing; lateness is in each record', async () => {
    await runStep(declareStep, { title: 'Token in a paste', slug: 'paste', severity: 'P1', category: 'security' }, ports, ctxFor(id, 'senior-sam'));
    clock.set('2026-11-22T09:15:40Z');
    const a = await runStep(incidentTickStep, { source: 'repository_dispatch', scheduled_time: '2026-11-22T09:15:00Z' }, ports, ctxFor(id));
    expect(planOf(a).meta).toMatchObject({ tick: { source: 'repository_dispatch', scheduledAt: '2026-11-22T09:15:00.000Z', lateSeconds: 40, slot: 'tick:2026-11-22T09:15:00.000Z' } });
    expect(await keys(id)).toEqual(['ack:overdue', 'warn:internal-assessment:24h', 'route:security:0:security_engineer']);
    // The job summary says how late the tick ran.
    expect(renderPlanMarkdown(planOf(a))).toContain('repository_dispatch tick for 2026-11-22T09:15:00.000Z ran at 2026-11-22T09:15:40.000Z: 40 s late');

    // The fallback schedule for the same slot, 2½ minutes later. The CISO rung (17 min) became due in
    // between: without the slot claim this tick would page now; with it, the next slot does, once.
    clock.set('2026-11-22T09:18:10Z');
    const b = await runStep(incidentTickStep, { source: 'schedule', cron: '*/15 * * * *' }, ports, ctxFor(id));
    expect(b.entry.record.status).toBe('noop');
    expect(planOf(b).unchanged).toContainEqual({ target: 'firebreak:tick-slot', subject: 'tick:2026-11-22T09:15:00.000Z', reason: 'another tick already ran this slot; nothing is posted twice' });
    expect(planOf(b).meta).toMatchObject({ tick: { source: 'schedule', lateSeconds: 190, estimated: true } });
    expect(await keys(id)).not.toContain('route:security:1:ciso');

    clock.set('2026-11-22T09:20:05Z');
    await runStep(incidentTickStep, { source: 'repository_dispatch', scheduled_time: '2026-11-22T09:20:00Z' }, ports, ctxFor(id));
    // A silent half hour: the reminder, once, whether the 09:30 slot is ticked by one source or both.
    clock.set('2026-11-22T09:30:05Z');
    await runStep(incidentTickStep, { source: 'repository_dispatch', scheduled_time: '2026-11-22T09:30:00Z' }, ports, ctxFor(id));
    clock.set('2026-11-22T09:31:00Z');
    await runStep(incidentTickStep, { source: 'schedule', cron: '*/15 * * * *' }, ports, ctxFor(id));
    const all = await keys(id);
    expect(all.filter((k) => k.startsWith('reminder:'))).toHaveLength(1);
    expect(all.filter((k) => k.startsWith('route:'))).toEqual(['route:security:0:security_engineer', 'route:security:1:ciso']);
    expect((await loadIncident(ports, id)).state.postedKeys.has('tick:2026-11-22T09:30:00.000Z')).toBe(true);
  });
});
