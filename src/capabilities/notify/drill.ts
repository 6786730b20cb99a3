import { CompositeAuditSink } from '../../core/audit.js';
import { GitHubIssueAuditMirror } from '../../providers/github/incident-ledger.js';
import { memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep, type StepContext } from '../../core/step.js';
import { check, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { closeIncidentStep } from '../close-incident/step.js';
import { declareStep } from '../declare/step.js';
import { incidentTickStep } from '../incident-tick/step.js';
import { CANARY, startNotifyWorld } from './harness.js';
import { notifyStep } from './step.js';

/**
 * notify end to end: a SEV1 is declared and notify pages (PagerDuty), opens and pins the Slack
 * channel, texts (through the on-call SNS topic with the phone subscribed, and straight to the
 * phone; both read back from moto), posts the status page; a tick's escalation pages the next rung
 * once however often tick and notify run, and two notify runs racing after it send nothing twice;
 * closing resolves the page and the status page incident. It runs on its own incident issue and
 * clock (its own GitHub emulator), on the drill's moto.
 */
export const notifyScenario: DrillScenario = {
  name: 'notify',
  description: 'Declare a SEV1: page, Slack channel with pinned summary, SMS, status page; escalation pages the next rung once; close resolves.',
  needs: ['aws'],
  async run(env) {
    const w = await startNotifyWorld({ moto: env.aws! });
    const out: Expectation[] = [];
    try {
      // The drill's own chain, mirrored to the incident issue where notify reads what was delivered.
      const audit = new CompositeAuditSink(env.audit, [new GitHubIssueAuditMirror(w.ledger, (m) => env.log.warn(m))]);
      const ctx = (id: string | null, extra: Partial<StepContext> = {}) =>
        makeContext({ audit, clock: w.clock, sleep: w.clock.sleep, logger: memoryLogger(), actor: 'drill', incidentId: id, dryRun: false, ...extra });
      const ports = { ledger: w.ledger, config: w.config.incident };
      const declared = await runStep(declareStep, { title: 'Drill: checkout errors', severity: 'SEV1', summary: 'Card payments fail' }, ports, ctx(null));
      const id = (declared.plan!.meta as { incident: { id: string } }).incident.id;
      await runStep(notifyStep, {}, w.ports(), ctx(id));
      const channel = w.slack.byName(`incident-${id.toLowerCase()}`);
      const { sms, topic, topicPhones } = await w.sent();
      const topicSms = topic.filter((m) => m.subject?.includes(id));
      out.push(
        check('PagerDuty paged once for the incident', w.pd.pages.length === 1 && w.pd.pages[0] === id, JSON.stringify(w.pd.pages)),
        check('Slack incident channel exists with the roster invited', !!channel && channel.members.includes('U0ALICE01'), JSON.stringify(channel?.members)),
        check('Slack summary is pinned', !!channel && channel.pins.length === 1 && channel.pins[0] === channel.messages[0]?.ts, JSON.stringify(channel?.pins)),
        check('SMS through the on-call SNS topic (phone subscribed), published once', topicSms.length === 1 && topicSms[0]!.message.includes('SEV1') && topicPhones.includes(CANARY.phone), `${topicSms.length} topic messages, subscribers ${topicPhones.length}`),
        check("SMS sent to the commander's number", sms.length === 1 && sms[0]!.phone_number === CANARY.phone, `${sms.length} SMS`),
        check('Status page incident opened', w.status.incidents.size === 1 && [...w.status.incidents.values()][0]!.status === 'investigating', `${w.status.incidents.size} incidents`),
      );
      w.clock.advance(31 * 60_000);
      const slackBefore = channel?.messages.length ?? 0;
      for (let i = 0; i < 2; i++) {
        await runStep(incidentTickStep, {}, ports, ctx(id));
        // The hook after the tick and a pressed notify button, at the same time.
        await Promise.all([runStep(notifyStep, {}, w.ports(), ctx(id)), runStep(notifyStep, {}, w.ports(), ctx(id, { actor: 'drill-button' }))]);
      }
      out.push(
        check('Escalation paged the next rung exactly once', w.pd.pages.filter((p) => p === `${id}:rung:0`).length === 1 && w.pd.pages.length === 2, JSON.stringify(w.pd.pages)),
        check('Escalation posted in the incident channel exactly once', (channel?.messages.length ?? 0) === slackBefore + 1, `${(channel?.messages.length ?? 0) - slackBefore} posts`),
      );
      await runStep(closeIncidentStep, {}, ports, ctx(id, { overrides: [{ guard: 'CLOSE_GATE', reason: 'drill' }] }));
      await runStep(notifyStep, {}, w.ports(), ctx(id));
      out.push(
        check('Closing resolved the page', w.pd.alerts.get(id)?.status === 'resolved', w.pd.alerts.get(id)?.status),
        check('Closing resolved the status page incident', w.status.incidents.size === 1 && [...w.status.incidents.values()][0]?.status === 'resolved', `${w.status.incidents.size} incidents`),
        check('Closing archived the incident channel', channel?.archived === true),
        check('Emulators saw only requests their published API descriptions allow', [...w.slack.violations, ...w.pd.violations, ...w.chat.violations, ...w.status.violations].length === 0, [...w.slack.violations, ...w.pd.violations, ...w.chat.violations, ...w.status.violations].join('; ')),
      );
    } finally {
      await w.stop();
    }
    return out;
  },
};
