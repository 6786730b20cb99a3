import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Outcome } from '../../core/plan.js';
import type { DeliveryClaimsPort } from '../../core/ports/notify.js';
import { memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep, type StepContext } from '../../core/step.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { GitHubIssueAuditSink } from '../../providers/github/incident-ledger.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { notifyAfter } from '../../runtime/notify-hook.js';
import { buildDeliveryClaims } from '../../runtime/ports/notify.js';
import { declareStep } from '../declare/step.js';
import { postUpdateStep } from '../post-update/step.js';
import { loadIncident } from '../shared/incident-support.js';
import { startNotifyWorld, type NotifyWorld } from './harness.js';
import { CLAIM_LEASE_MS, notifyStep, type NotifyStepPorts } from './step.js';

/**
 * Two notify runs for the same incident event at once — the lifecycle hook after declare and a
 * responder pressing the notify button, or two racing ticks — each plan every delivery before
 * either record lands. The claims on the incident issue make each delivery go out once, on every
 * channel, those without a provider-side dedup key included (Slack posts, SNS, SES, Statuspage,
 * webhook); a failed delivery is released so a re-run sends exactly it.
 */
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

function ctx(id: string | null, actor = 'alice'): StepContext {
  return makeContext({ audit: new GitHubIssueAuditSink(w.ledger, new MemoryAuditSink()), clock: w.clock, sleep: w.clock.sleep, logger: memoryLogger(), actor, incidentId: id, dryRun: false });
}
const incidentPorts = () => ({ ledger: w.ledger, config: w.config.incident });

async function declareSev1(): Promise<string> {
  const run = await runStep(declareStep, { title: 'Checkout errors', severity: 'SEV1', summary: 'Card payments fail for 30% of users' }, incidentPorts(), ctx(null));
  return (run.plan!.meta as { incident: { id: string } }).incident.id;
}

/**
 * The real claims port behind a barrier: neither run may claim until both have planned, so both
 * hold the same undelivered deliveries — the race, made certain instead of likely.
 */
function racing(n: number): (ports: NotifyStepPorts) => NotifyStepPorts {
  let arrived = 0;
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  return (ports) => {
    const real = ports.claims;
    const claims: DeliveryClaimsPort = {
      async claim(args) {
        if (++arrived === n) open();
        await gate;
        return real.claim(args);
      },
    };
    return { ...ports, claims };
  };
}

const applied = (outcomes: readonly Outcome[] | undefined) => (outcomes ?? []).filter((o) => o.status === 'applied').map((o) => o.subject);

/** Every channel got exactly one delivery of the declaration. */
async function expectDeclaredOnce(id: string): Promise<void> {
  expect(w.pd.pages).toEqual([id]);
  expect(w.slack.channels.size).toBe(1);
  const channel = w.slack.byName(`incident-${id.toLowerCase()}`)!;
  expect(channel.messages).toHaveLength(1);
  expect(channel.pins).toEqual([channel.messages[0]!.ts]);
  expect(w.chat.messages).toHaveLength(1);
  const sent = await w.sent();
  expect(sent.sms).toHaveLength(1);
  expect(sent.topic).toHaveLength(1);
  expect(sent.email).toHaveLength(1);
  expect(w.status.incidents.size).toBe(1);
  expect([...w.status.incidents.values()][0]!.updates).toHaveLength(1);
  expect(w.webhook.received).toHaveLength(1);
}

describe('racing notify runs deliver each delivery once', () => {
  it('two concurrent notify runs: one post per channel and recipient; the loser reports each delivery skipped', async () => {
    const id = await declareSev1();
    const race = racing(2);
    const [a, b] = await Promise.all([runStep(notifyStep, {}, race(w.ports()), ctx(id, 'alice')), runStep(notifyStep, {}, race(w.ports()), ctx(id, 'bob'))]);
    await expectDeclaredOnce(id);
    // Between them every planned delivery was applied exactly once; the other run skipped it.
    const planned = a.plan!.changes.map((c) => c.subject).sort();
    expect(b.plan!.changes.map((c) => c.subject).sort()).toEqual(planned);
    expect([...applied(a.result?.outcomes), ...applied(b.result?.outcomes)].sort()).toEqual(planned);
    const skipped = [...(a.result?.outcomes ?? []), ...(b.result?.outcomes ?? [])].filter((o) => o.status === 'skipped');
    expect(skipped).toHaveLength(planned.length);
    expect(skipped.every((o) => /another notify run claimed this delivery \(comment \d+\); it sends it, or already did/.test(o.reason ?? ''))).toBe(true);
    // A third run afterwards sends nothing either.
    expect((await runStep(notifyStep, {}, w.ports(), ctx(id))).result?.status).toBe('noop');
    await expectDeclaredOnce(id);
  });

  it('the lifecycle hook after declare and the notify button at the same time: each channel once', async () => {
    const id = await declareSev1();
    const race = racing(2);
    const source = { env: w.env, actor: 'hook', runUrl: null, auditFile: join(mkdtempSync(join(tmpdir(), 'fb-notify-race-')), 'audit.jsonl'), logger: () => memoryLogger(), clock: w.clock, sleep: w.clock.sleep, mirrorFailure: 'fail' as const };
    const { capability } = await import('./capability.js');
    const rt = await capability.runtime();
    const hookPorts = rt.ports;
    // The hook builds its ports from the run's env (the real runtime); only the barrier is added.
    rt.ports = async (c) => race((await hookPorts(c)) as NotifyStepPorts);
    try {
      const [hook, button] = await Promise.all([notifyAfter('declare', { status: 'applied', dryRun: false, incidentId: id }, source, w.config), runStep(notifyStep, {}, race(w.ports()), ctx(id, 'responder'))]);
      expect(hook?.failure).toBeUndefined();
      expect(hook?.entry?.record.step).toBe('notify');
      expect(button.result?.outcomes.length).toBeGreaterThan(0);
    } finally {
      rt.ports = hookPorts;
    }
    await expectDeclaredOnce(id);
  });

  it('a re-run after a partial failure sends only what failed, even when two re-runs race', async () => {
    const id = await declareSev1();
    await runStep(notifyStep, {}, w.ports(), ctx(id));
    await runStep(postUpdateStep, { text: 'Payments recovering after a config rollback.', status: 'monitoring', audience: 'external' }, incidentPorts(), ctx(id));
    w.slack.faults.add({ path: '/api/chat.postMessage', status: 500, body: { ok: false, error: 'internal_error' }, times: Infinity });
    const first = await runStep(notifyStep, {}, w.ports(), ctx(id)).then(
      () => expect.unreachable('the Slack failure must fail the run'),
      (e: { result?: { outcomes: Outcome[] } }) => e.result!.outcomes,
    );
    expect(first.filter((o) => o.status === 'failed').map((o) => o.target)).toEqual(['notify:slack']);
    const chat = w.chat.messages.length;
    const hooks = w.webhook.received.length;
    const statusUpdates = [...w.status.incidents.values()][0]!.updates.length;
    const slackBefore = w.slack.byName(`incident-${id.toLowerCase()}`)!.messages.length;
    w.slack.faults.clear();

    const race = racing(2);
    const [a, b] = await Promise.all([runStep(notifyStep, {}, race(w.ports()), ctx(id, 'alice')), runStep(notifyStep, {}, race(w.ports()), ctx(id, 'bob'))]);
    // Only the released (failed) Slack delivery was planned again, and it went out once.
    expect(a.plan!.changes.map((c) => c.target)).toEqual(['notify:slack']);
    expect([...applied(a.result?.outcomes), ...applied(b.result?.outcomes)]).toHaveLength(1);
    expect(w.slack.byName(`incident-${id.toLowerCase()}`)!.messages).toHaveLength(slackBefore + 1);
    expect(w.chat.messages).toHaveLength(chat);
    expect(w.webhook.received).toHaveLength(hooks);
    expect([...w.status.incidents.values()][0]!.updates).toHaveLength(statusUpdates);
  });

  it('when the claim cannot be written, nothing is sent and the run says why', async () => {
    const id = await declareSev1();
    w.gh.faults.add({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 500, body: { message: 'Server Error' }, times: Infinity });
    const err = await runStep(notifyStep, {}, w.ports(), ctx(id)).then(
      () => expect.unreachable('a claim that cannot be written must stop the run'),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/issues\.createComment/);
    w.gh.faults.clear();
    expect(w.pd.pages).toEqual([]);
    expect(w.slack.channels.size).toBe(0);
    expect(w.chat.messages).toHaveLength(0);
    expect(w.webhook.received).toHaveLength(0);
    expect(w.status.incidents.size).toBe(0);
    const sent = await w.sent();
    expect([sent.sms.length, sent.topic.length, sent.email.length]).toEqual([0, 0, 0]);
  });

  it("a run that died after claiming holds its deliveries until the claim's lease ends, then they are sent", async () => {
    const id = await declareSev1();
    const issue = (await loadIncident(incidentPorts(), id)).issue.number;
    const planned = (await runStep(notifyStep, {}, w.ports(), { ...ctx(id), dryRun: true })).plan!.changes.map((c) => c.subject);
    expect(planned.length).toBeGreaterThan(5);
    // A runner that claimed everything and was killed before sending or settling.
    const dead = await buildDeliveryClaims({ env: w.env, sleep: w.clock.sleep, clock: w.clock }).claim({ issue, keys: planned, now: w.clock.now(), leaseUntil: new Date(w.clock.now().getTime() + CLAIM_LEASE_MS), note: 'killed runner' });
    expect(dead.won.size).toBe(planned.length);
    // It had opened the public status-page incident before it died.
    const opened = await w.ports().notify.statuspage!.create({ pageId: 'pagefb01', incidentKey: id, name: 'Checkout errors', body: 'We are investigating.', impact: 'major', componentIds: ['cmpapi'] });
    expect(opened.outcome).toBeUndefined();

    const blocked = await runStep(notifyStep, {}, w.ports(), ctx(id));
    expect(blocked.result?.outcomes.every((o) => o.status === 'skipped')).toBe(true);
    expect(w.pd.pages).toEqual([]);
    expect(w.webhook.received).toHaveLength(0);

    w.clock.advance(CLAIM_LEASE_MS + 60_000);
    const after = await runStep(notifyStep, {}, w.ports(), ctx(id));
    // Every delivery went out; the status page kept the incident the dead run opened (found by its
    // metadata), so the public sees one incident.
    const outcomes = after.result?.outcomes ?? [];
    expect(outcomes.filter((o) => o.status === 'applied' || o.status === 'already').map((o) => o.subject).sort()).toEqual([...planned].sort());
    expect(outcomes.find((o) => o.target === 'notify:status')).toMatchObject({ status: 'already', evidence: { thread: opened.thread } });
    expect(w.status.incidents.size).toBe(1);
    expect(w.pd.pages).toEqual([id]);
  });
});
