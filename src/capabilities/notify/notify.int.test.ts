import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PartialFailureError } from '../../core/errors.js';
import { memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep, type StepContext } from '../../core/step.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { GitHubIssueAuditSink } from '../../providers/github/incident-ledger.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { closeIncidentStep } from '../close-incident/step.js';
import { declareStep } from '../declare/step.js';
import { incidentTickStep } from '../incident-tick/step.js';
import { postUpdateStep } from '../post-update/step.js';
import { recordNotificationStep } from '../record-notification/step.js';
import { loadIncident } from '../shared/incident-support.js';
import { CANARY, startNotifyWorld, type NotifyWorld } from './harness.js';
import { notifyStep } from './step.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notifyAfter, shouldNotify } from '../../runtime/notify-hook.js';

let moto: MotoServer;
let w: NotifyWorld;
beforeAll(async () => {
  moto = await startMoto();
}, 60_000);
afterAll(async () => moto?.stop());
beforeEach(async () => {
  await moto.reset();
  w = await startNotifyWorld({ moto });
});
afterEach(async () => {
  w.gh.assertNoViolations();
  expect([...w.slack.violations, ...w.pd.violations, ...w.chat.violations, ...w.status.violations]).toEqual([]);
  await w.stop();
});

function ctx(id: string | null, extra: Partial<StepContext> = {}): StepContext {
  return makeContext({ audit: new GitHubIssueAuditSink(w.ledger, new MemoryAuditSink()), clock: w.clock, sleep: w.clock.sleep, logger: memoryLogger(), actor: 'alice', incidentId: id, dryRun: false, ...extra });
}
const incidentPorts = () => ({ ledger: w.ledger, config: w.config.incident });

async function declareSev1(): Promise<string> {
  const run = await runStep(declareStep, { title: 'Checkout errors', severity: 'SEV1', summary: 'Card payments fail for 30% of users' }, incidentPorts(), ctx(null));
  return (run.plan!.meta as { incident: { id: string } }).incident.id;
}
const notify = (id: string, raw: Record<string, unknown> = {}, env: Record<string, string> = {}) => runStep(notifyStep, raw, w.ports(env), ctx(id));

describe('notify against every channel', () => {
  it('a SEV1 declaration pages, opens and pins the Slack channel, texts, mails, posts the status page, the Chat thread and a signed webhook; a re-run sends nothing', async () => {
    const id = await declareSev1();
    const run = await notify(id);
    expect(run.result?.status).toBe('ok');

    // PagerDuty: one alert, keyed by the incident, critical? no: SEV1 is the second level → error.
    expect(w.pd.pages).toEqual([id]);
    expect(w.pd.alerts.get(id)).toMatchObject({ status: 'triggered', severity: 'error', routingKey: CANARY.routingKey });
    // Slack: the incident channel with the roster invited, the topic, the pinned summary.
    const channel = w.slack.byName(`incident-${id.toLowerCase()}`)!;
    expect(channel.members).toEqual(expect.arrayContaining(['U0ALICE01', 'U0BOB0002']));
    expect(channel.topic).toContain(id);
    expect(channel.pins).toEqual([channel.messages[0]!.ts]);
    expect(channel.messages[0]!.text).toContain('Card payments fail');
    // Who is on call, read from PagerDuty's REST API for the roster's escalation policies.
    expect(channel.messages[0]!.text).toContain('On call (PagerDuty): Erin Senior (PSENIOR1 L1)');
    // moto: the SMS to alice's number and the e-mail to her address, read back from moto's backend.
    const sent = await w.sent();
    expect(sent.sms).toEqual([expect.objectContaining({ phone_number: CANARY.phone, message: expect.stringContaining('SEV1 incident declared') })]);
    // The on-call SNS topic (the phone subscribed): one publish, as the kit grants SMS.
    expect(sent.topic).toEqual([{ message: expect.stringContaining('SEV1 incident declared'), subject: expect.stringContaining(id) }]);
    expect(sent.topicPhones).toEqual([CANARY.phone]);
    expect(sent.email).toEqual([expect.objectContaining({ destinations: expect.objectContaining({ ToAddresses: [CANARY.email] }), subject: expect.stringContaining(id) })]);
    // Statuspage: an incident with the component marked down; external words only.
    const [sp] = [...w.status.incidents.values()];
    expect(sp).toMatchObject({ name: 'Checkout errors', status: 'investigating' });
    expect(w.status.components.get('cmpapi')).toBe('partial_outage');
    // Google Chat: one thread for the incident.
    expect(w.chat.messages).toEqual([expect.objectContaining({ threadKey: id, text: expect.stringContaining('Checkout errors') })]);
    // The webhook verifies with node:crypto alone, as a receiver would.
    expect(w.webhook.received).toHaveLength(1);
    const hook = w.webhook.received[0]!;
    const ts = String(hook.headers['x-firebreak-timestamp']);
    const expected = Buffer.from(`v1=${createHmac('sha256', CANARY.webhookSecret).update(`${ts}.${hook.body}`).digest('hex')}`);
    const given = Buffer.from(String(hook.headers['x-firebreak-signature']));
    expect(given.length === expected.length && timingSafeEqual(given, expected)).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({ incident: id, event: 'declared' });

    // Evidence on the issue: every outcome carries the provider's id; the timeline lists each delivery.
    const loaded = await loadIncident(incidentPorts(), id);
    const rec = loaded.records.filter((r) => r.step === 'notify').at(-1)!;
    const outcomes = (rec.result as { outcomes: Array<{ evidence?: Record<string, string> }> }).outcomes;
    expect(outcomes.every((o) => o.evidence?.messageId && o.evidence.at && o.evidence.channel)).toBe(true);
    expect(loaded.state.timeline.filter((t) => t.kind === 'notification').map((t) => t.what)).toEqual(expect.arrayContaining([expect.stringMatching(/^Sent declared via pager to service \(id /), expect.stringMatching(/^Sent declared via sms to alice:phone_env=ALICE_PHONE/)]));

    // Re-run: every delivery is already recorded; nothing is sent again.
    const again = await notify(id);
    expect(again.result?.status).toBe('noop');
    expect(w.pd.pages).toHaveLength(1);
    expect(channel.messages).toHaveLength(1);
    expect((await w.sent()).sms).toHaveLength(1);
    expect((await w.sent()).topic).toHaveLength(1);
    expect(w.webhook.received).toHaveLength(1);
    expect(w.status.incidents.size).toBe(1);
  });

  it("a tick's escalation pages the next rung once, even when the tick and notify run twice", async () => {
    const id = await declareSev1();
    await notify(id);
    w.clock.advance(31 * 60_000);
    await runStep(incidentTickStep, {}, incidentPorts(), ctx(id));
    await runStep(incidentTickStep, {}, incidentPorts(), ctx(id));
    const first = await notify(id);
    expect(first.result?.outcomes.filter((o) => o.status === 'applied').map((o) => o.target).sort()).toEqual(['notify:pager', 'notify:slack']);
    await notify(id);
    expect(w.pd.pages).toEqual([id, `${id}:rung:0`]);
    expect(w.pd.alerts.get(`${id}:rung:0`)).toMatchObject({ routingKey: CANARY.rungKey, events: ['trigger'] });
  });

  it('one failing channel does not stop the others; the run names it, and a re-run delivers only it', async () => {
    const id = await declareSev1();
    await notify(id);
    await runStep(postUpdateStep, { text: 'Payments recovering after a config rollback.', status: 'monitoring', audience: 'external' }, incidentPorts(), ctx(id));
    w.slack.faults.add({ path: '/api/chat.postMessage', status: 500, body: { ok: false, error: 'internal_error' }, times: Infinity });
    const err = await notify(id).then(
      () => expect.unreachable('a failed channel must fail the run'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PartialFailureError);
    const outcomes = ((err as PartialFailureError).result as { outcomes: Array<{ status: string; target: string }> }).outcomes;
    expect(outcomes.filter((o) => o.status === 'failed').map((o) => o.target)).toEqual(['notify:slack']);
    expect(outcomes.filter((o) => o.status === 'applied').map((o) => o.target).sort()).toEqual(['notify:chat', 'notify:hook', 'notify:status']);
    // What the partial run delivered is on the timeline (the failed delivery is not).
    const timeline = (await loadIncident(incidentPorts(), id)).state.timeline.map((t) => t.what);
    expect(timeline).toEqual(expect.arrayContaining([expect.stringMatching(/^Sent update:\S+ via chat to space/)]));
    expect(timeline.some((t) => /^Sent update:\S+ via slack/.test(t))).toBe(false);
    const chatBefore = w.chat.messages.length;
    const hooksBefore = w.webhook.received.length;
    w.slack.faults.clear();
    const rerun = await notify(id);
    expect(rerun.result?.outcomes.filter((o) => o.status === 'applied').map((o) => o.target)).toEqual(['notify:slack']);
    expect(w.chat.messages).toHaveLength(chatBefore);
    expect(w.webhook.received).toHaveLength(hooksBefore);
    expect([...w.status.incidents.values()][0]!.updates.map((u) => u.body)).toContain('Payments recovering after a config rollback.');
  });

  it('Slack rate limits: a 429 with Retry-After is waited out and the message is posted once', async () => {
    const id = await declareSev1();
    w.slack.faults.add({ path: '/api/conversations.create', status: 429, headers: { 'retry-after': '3' }, body: { ok: false, error: 'ratelimited' } });
    const run = await notify(id);
    expect(run.result?.status).toBe('ok');
    expect(w.slack.faults.pending()).toEqual([]);
    expect(w.slack.channels.size).toBe(1);
  });

  it('closing resolves the page and the status-page incident and archives the channel', async () => {
    const id = await declareSev1();
    await notify(id);
    await runStep(closeIncidentStep, {}, incidentPorts(), ctx(id, { overrides: [{ guard: 'CLOSE_GATE', reason: 'drill' }] }));
    const run = await notify(id);
    expect(run.result?.status).toBe('ok');
    expect(w.pd.alerts.get(id)).toMatchObject({ status: 'resolved', events: ['trigger', 'resolve'] });
    expect([...w.status.incidents.values()][0]).toMatchObject({ status: 'resolved' });
    expect(w.status.components.get('cmpapi')).toBe('operational');
    expect(w.slack.byName(`incident-${id.toLowerCase()}`)!.archived).toBe(true);
  });

  it('secrets and personal data never reach a channel, an audit record or the issue', async () => {
    const id = await declareSev1();
    await notify(id);
    const loaded = await loadIncident(incidentPorts(), id);
    const everything = JSON.stringify({
      records: loaded.records,
      slack: [...w.slack.channels.values()],
      chat: w.chat.messages,
      status: [...w.status.incidents.values()],
      hooks: w.webhook.received.map((h) => h.body),
      pd: [...w.pd.alerts.values()].map((a) => a.summary),
      issues: await w.ledger.findIncident(id),
    });
    for (const secret of [CANARY.slackToken, CANARY.routingKey, CANARY.rungKey, CANARY.pdApiToken, CANARY.chatKey, CANARY.chatToken, CANARY.statusKey, CANARY.webhookSecret, CANARY.phone, CANARY.email]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('the lifecycle hook: after declare applied, notify runs in its own session with its own record; not after a dry run or an unrelated step', async () => {
    const id = await declareSev1();
    expect(shouldNotify('declare', { status: 'applied', dryRun: true, incidentId: id }, w.config)).toBe(false);
    expect(shouldNotify('block-ips', { status: 'applied', dryRun: false, incidentId: id }, w.config)).toBe(false);
    const source = { env: w.env, actor: 'alice', runUrl: null, auditFile: join(mkdtempSync(join(tmpdir(), 'fb-notify-hook-')), 'audit.jsonl'), logger: () => memoryLogger(), clock: w.clock, sleep: w.clock.sleep, mirrorFailure: 'fail' as const };
    const session = await notifyAfter('declare', { status: 'applied', dryRun: false, incidentId: id }, source, w.config);
    expect(session?.failure).toBeUndefined();
    expect(session?.entry?.record).toMatchObject({ step: 'notify', incidentId: id, status: 'applied' });
    expect(w.pd.pages).toEqual([id]);
    // The record reached the incident issue, so the next run knows what was delivered.
    expect((await loadIncident(incidentPorts(), id)).records.some((r) => r.step === 'notify' && r.status === 'applied')).toBe(true);
  });

  it('record-notification takes a delivery as evidence: recipient reference, sent time and the provider message id', async () => {
    const id = await declareSev1();
    const run = await notify(id);
    const email = run.result!.outcomes.find((o) => o.target === 'notify:email')!;
    await expect(runStep(recordNotificationStep, { obligation: 'customer-notice', delivery: 'nfy-000000000000000000000000' }, incidentPorts(), ctx(id))).rejects.toMatchObject({ code: 'DELIVERY_UNKNOWN' });
    await runStep(recordNotificationStep, { obligation: 'customer-notice', delivery: email.subject }, incidentPorts(), ctx(id));
    const n = (await loadIncident(incidentPorts(), id)).state.notifications.get('customer-notice')!;
    expect(n).toMatchObject({ sentAt: email.evidence!.at, recipient: 'alice:email_env=ALICE_EMAIL via email' });
    expect(n.reference).toContain(email.evidence!.messageId!);
    expect(n.reference).not.toContain(CANARY.email);
  });
});
