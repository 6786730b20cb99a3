import { CompositeAuditSink } from '../../core/audit.js';
import { parseConfig } from '../../core/config/parse.js';
import { asError } from '../../core/errors.js';
import { manualClock } from '../../core/runtime.js';
import { runStep } from '../../core/step.js';
import { GitHubIncidentLedger, GitHubIssueAuditMirror } from '../../providers/github/incident-ledger.js';
import { githubClient } from '../../runtime/github-client.js';
import { closeIncidentStep } from '../../capabilities/close-incident/step.js';
import { declareStep, declaredIncidentId } from '../../capabilities/declare/step.js';
import { loadIncident, type IncidentPorts } from '../../capabilities/shared/incident-support.js';
import { incidentTickStep, tickOpenIncidents } from '../../capabilities/incident-tick/step.js';
import { postUpdateStep } from '../../capabilities/post-update/step.js';
import { recordContainmentStep } from '../../capabilities/record-containment/step.js';
import { recordNotificationStep } from '../../capabilities/record-notification/step.js';
import { writePostmortemStep } from '../../capabilities/write-postmortem/step.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../scenario.js';

/**
 * The incident drill: declare on the GitHub emulator, refuse an external update that leaks an
 * internal address, let the cadence lapse (reminder + escalation, once), be refused by the close
 * gate, record containment and notifications, open the postmortem PR, and close with an audited
 * override for the fix PR a drill cannot merge. Every step goes through runStep on the drill chain,
 * mirrored onto the incident issue where the state is derived from.
 */
const CONFIG = `
version: 1
incident:
  severity: { scheme: SEV0-3 }
  roster: { incident_commander: [drill-ic], comms_lead: [drill-comms], compliance_lead: [drill-dpo], senior_engineer: [drill-senior] }
  escalation: [{ after_minutes: 30, notify: senior_engineer }]
  regimes:
    custom: [{ id: school, recipient: Partner school, within_hours: 48, when: { data_categories: [minors] }, source: "Seed 000 §7" }]
`;

export const incidentScenario: DrillScenario = {
  name: 'incident',
  description: 'declare → updates → ticks (reminder, escalation, no duplicates) → close-gate refusal → postmortem PR → audited close',
  needs: ['github'],
  async run(env) {
    const out: Expectation[] = [];
    const gh = env.github!;
    const octokit = githubClient(env.env);
    const ledger = new GitHubIncidentLedger(octokit, { owner: gh.owner, repo: gh.repo, sleep: env.sleep });
    const ports: IncidentPorts = { ledger, config: parseConfig(CONFIG, 'drill').incident };
    const clock = manualClock('2026-11-22T09:00:00Z');
    const audit = new CompositeAuditSink(env.audit, [new GitHubIssueAuditMirror(ledger, (m) => env.log.warn(m))]);
    const raw = { title: 'Drill: admin token leak', slug: `drill-${Date.now().toString(36)}`, severity: 'SEV1', facts: { discovered_at: '2026-11-22T08:45:00Z', data_categories: ['personal', 'minors'] } };
    const id = declaredIncidentId(raw, clock.now());
    const ctx = (actor = 'drill-ic', extra = {}) => env.context({ clock, sleep: clock.sleep, audit, incidentId: id, actor, dryRun: false, ...extra });
    const refused = async (p: Promise<unknown>): Promise<string> => p.then(() => 'not refused', (e) => (asError(e) as { code?: string }).code ?? 'error');

    await runStep(declareStep, raw, ports, ctx());
    const issue = await ledger.findIncident(id);
    out.push(check('declare opened the incident issue with severity and status labels', !!issue && issue.labels.includes('severity:SEV1') && issue.labels.includes('status:open'), JSON.stringify(issue)));
    const loaded = await loadIncident(ports, id);
    out.push(checkEqual('state derived from the issue has the school obligation', loaded.obligations.map((o) => o.id), ['school']));

    out.push(checkEqual('external update with a private address is refused', await refused(runStep(postUpdateStep, { audience: 'external', text: 'We restarted 10.1.2.3' }, ports, ctx())), 'INTERNAL_DETAIL'));
    clock.advance(61 * 60_000);
    const tick = async (i: string) => {
      const r = await runStep(incidentTickStep, {}, ports, ctx('drill-tick', { incidentId: i }));
      return { posted: r.result?.outcomes.filter((o) => o.status === 'applied' && o.target === 'github:comment').length ?? 0 };
    };
    const first = await tickOpenIncidents(ports, tick, () => clock.now(), [id]);
    out.push(checkEqual('first tick posts the missed acknowledgement, the reminder and the escalation', first.map((r) => r.posted), [3]));
    const second = await tickOpenIncidents(ports, tick, () => clock.now(), [id]);
    out.push(checkEqual('second tick posts nothing', second.map((r) => r.skipped), [true]));

    out.push(checkEqual('close is refused by the close gate', await refused(runStep(closeIncidentStep, {}, ports, ctx())), 'CLOSE_GATE'));
    await runStep(recordContainmentStep, { action: 'Revoked the token (drill)' }, ports, ctx());
    await runStep(recordNotificationStep, { obligation: 'school', recipient: 'Partner school', reference: 'DRILL-1' }, ports, ctx('drill-comms'));
    await runStep(writePostmortemStep, { action_items: ['Drill: rotate tokens monthly'] }, ports, ctx());
    const pm = await ledger.findPullByBranch(`firebreak/postmortem/${id}`);
    out.push(check('postmortem PR is open', pm?.state === 'open', JSON.stringify(pm)));
    await runStep(closeIncidentStep, {}, ports, ctx('drill-ic', { overrides: [{ guard: 'CLOSE_GATE', reason: 'drill: no fix PR to merge' }] }));
    const closed = await ledger.findIncident(id);
    out.push(check('incident issue is closed with status:closed', closed?.state === 'closed' && closed.labels.includes('status:closed'), JSON.stringify(closed)));
    const records = await ledger.readRecords(closed!.number);
    out.push(checkEqual('the close override is in the audit record on the issue', records.at(-1)?.override, { guard: 'CLOSE_GATE', reason: 'drill: no fix PR to merge' }));
    return out;
  },
};
