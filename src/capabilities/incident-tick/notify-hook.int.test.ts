import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../core/config/parse.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { memoryIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { runCapabilityAction } from '../../runtime/capability-action.js';
import { runActionInProcess } from '../../../test/helpers/in-process-action.js';
import { NOTIFY_CONFIG, startNotifyWorld, type NotifyWorld } from '../notify/harness.js';
import { NOTIFY_SECRETS } from '../notify/secrets.js';
import { capability as tickCapability } from './capability.js';

/**
 * A real tick pages: the `firebreak incident-tick` command and the incident-tick action run the
 * notify hook after each incident's tick, so the escalation rung the tick records is paged (the
 * PagerDuty emulator) and posted (Slack, Google Chat) — once, however many ticks run after it. The
 * hand-written workflow hands the tick job notify's secrets, one by one, from `secrets.*`.
 */
// Escalations also go to the Chat thread here, so a duplicate there would show.
const CONFIG = NOTIFY_CONFIG.replace('{ events: [escalation], channels: [pager, slack] }', '{ events: [escalation], channels: [pager, slack, chat] }');
if (CONFIG === NOTIFY_CONFIG) throw new Error('the escalation route in the notify harness config changed; update this test');

let moto: MotoServer;
let w: NotifyWorld;
let dir: string;
beforeAll(async () => {
  moto = await startMoto();
}, 60_000);
afterAll(async () => moto?.stop());
beforeEach(async () => {
  await moto.reset();
  w = await startNotifyWorld({ moto });
  dir = await mkdtemp(join(tmpdir(), 'fb-tick-notify-'));
  await writeFile(join(dir, 'firebreak.yml'), CONFIG);
});
afterEach(async () => {
  w.gh.assertNoViolations();
  expect([...w.slack.violations, ...w.pd.violations, ...w.chat.violations, ...w.status.violations]).toEqual([]);
  await w.stop();
});

const cli = async (args: string[]) => {
  const io = Object.assign(memoryIo({ ...w.env, USER: 'cli-user' }, dir), { clock: w.clock, sleep: w.clock.sleep });
  const code = await main([...args, '--config', 'firebreak.yml'], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
};

async function declare(): Promise<string> {
  const run = await cli(['declare', '--title', 'Checkout errors', '--severity', 'SEV1', '--summary', 'Card payments fail', '--apply', '--json']);
  expect(run.code).toBe(0);
  const id = (JSON.parse(run.out) as { plan: { meta: { incident: { id: string } } } }).plan.meta.incident.id;
  // The declare hook paged the incident's own alert and opened the channel.
  expect(w.pd.pages).toEqual([id]);
  return id;
}

const channelOf = (id: string) => w.slack.byName(`incident-${id.toLowerCase()}`)!;
const escalationPosts = (id: string) => ({
  slack: channelOf(id).messages.filter((m) => /senior_engineer|escalat/i.test(m.text)).length,
  chat: w.chat.messages.filter((m) => /senior_engineer|escalat/i.test(m.text)).length,
});

describe('firebreak incident-tick runs the notify hook', () => {
  it("a tick's escalation pages the next rung once across ticks; Slack and Chat get it once", async () => {
    const id = await declare();
    const chatBefore = w.chat.messages.length;
    w.clock.advance(31 * 60_000);
    const first = await cli(['tick', '--apply', '--json']);
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/notify after incident-tick: applied/);
    expect(w.pd.pages).toEqual([id, `${id}:rung:0`]);
    expect(escalationPosts(id)).toEqual({ slack: 1, chat: 1 });

    // A second tick in the same slot and one in the next slot: nothing is paged or posted twice.
    expect((await cli(['tick', '--apply', '--json'])).code).toBe(0);
    w.clock.advance(16 * 60_000);
    expect((await cli(['tick', '--apply', '--json'])).code).toBe(0);
    expect(w.pd.pages).toEqual([id, `${id}:rung:0`]);
    expect(w.pd.alerts.get(`${id}:rung:0`)?.events).toEqual(['trigger']);
    expect(escalationPosts(id)).toEqual({ slack: 1, chat: 1 });
    expect(w.chat.messages.length).toBe(chatBefore + 1);
  });
});

describe('firebreak incident-tick retries what notify still owes on a quiet incident', () => {
  it('a page that failed is delivered by the next tick even when nothing is due, once; a tick with nothing owed leaves no notify record', async () => {
    w.pd.faults.add({ path: '/v2/enqueue', status: 500, body: { status: 'error', message: 'down' }, times: Infinity });
    const declared = await cli(['declare', '--title', 'Checkout errors', '--severity', 'SEV1', '--summary', 'Card payments fail', '--apply', '--json']);
    expect(declared.code).toBe(0);
    expect(declared.err).toMatch(/warning: notify after declare failed/);
    const id = (JSON.parse(declared.out) as { plan: { meta: { incident: { id: string } } } }).plan.meta.incident.id;
    // The first tick posts what is due at once; its hook tries the page again, still failing.
    w.clock.advance(60_000);
    expect((await cli(['tick', '--apply'])).err).toMatch(/notify after incident-tick: partial/);
    expect(w.pd.pages).toEqual([]);
    w.pd.faults.clear();
    const notifyRecords = async () => (await w.ledger.readRecords((await w.ledger.findIncident(id))!.number)).filter((r) => r.step === 'notify').length;
    const before = await notifyRecords();

    // Nothing is due now, so there is no tick run and no hook: the owed page is retried anyway.
    w.clock.advance(60_000);
    const tick = await cli(['tick', '--apply', '--json']);
    expect(tick.code).toBe(0);
    expect(JSON.parse(tick.out)).toEqual([{ id, posted: 0, skipped: true }]);
    expect(tick.err).toContain(`${id}: notify (owed deliveries): applied`);
    expect(w.pd.pages).toEqual([id]);
    expect(await notifyRecords()).toBe(before + 1);

    // Nothing due and nothing owed: no notify run at all.
    w.clock.advance(60_000);
    expect((await cli(['tick', '--apply', '--json'])).err).not.toContain('owed deliveries');
    expect(w.pd.pages).toEqual([id]);
    expect(await notifyRecords()).toBe(before + 1);
    expect(channelOf(id).messages).toHaveLength(1);
  });
});

describe('the incident-tick action runs the notify hook', () => {
  const tickAction = (id: string) =>
    runActionInProcess(() => runCapabilityAction(tickCapability, { clock: w.clock, sleep: w.clock.sleep, loadConfig: async () => parseConfig(CONFIG) }), {
      inputs: { 'incident-id': id, apply: 'true' },
      env: { ...w.env, GITHUB_ACTOR: 'github-actions', FIREBREAK_AUDIT_FILE: join(dir, 'action-audit.jsonl') },
    });

  it('pages the rung after the tick, and a second tick run pages and posts nothing again', async () => {
    const id = await declare();
    w.clock.advance(31 * 60_000);
    const first = await tickAction(id);
    expect(first.result.status).toBe('applied');
    expect(first.stdout).toMatch(/firebreak notify after incident-tick: applied/);
    expect(w.pd.pages).toEqual([id, `${id}:rung:0`]);
    const notifyRecords = async () => (await w.ledger.readRecords((await w.ledger.findIncident(id))!.number)).filter((r) => r.step === 'notify').length;
    const before = await notifyRecords();
    const second = await tickAction(id);
    expect(second.result.exitCode).toBe(0);
    // Nothing due and nothing owed: the hook does not run, so no notify record lands every tick.
    expect(second.result.status).toBe('noop');
    expect(second.stdout).not.toMatch(/firebreak notify after incident-tick/);
    expect(await notifyRecords()).toBe(before);
    expect(w.pd.pages).toEqual([id, `${id}:rung:0`]);
    expect(escalationPosts(id)).toEqual({ slack: 1, chat: 1 });
  });
});

describe('the hand-written incident-tick workflow', () => {
  it("passes notify's secrets to the tick step as env from secrets.*, one by one", async () => {
    const wf = parse(await readFile(resolve(import.meta.dirname, '../../../.github/workflows/incident-tick.yml'), 'utf8')) as { jobs: Record<string, { steps: Array<{ uses?: string; env?: Record<string, string> }> }> };
    const step = wf.jobs.tick!.steps.find((s) => s.uses === './actions/incident-tick')!;
    for (const name of NOTIFY_SECRETS) expect(step.env?.[name]).toBe(`\${{ secrets.${name} }}`);
    expect(tickCapability.workflow && tickCapability.workflow.secrets).toEqual(NOTIFY_SECRETS);
  });
});
