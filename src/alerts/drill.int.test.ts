import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import * as github from '@actions/github';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain, type AuditRecord } from '../core/audit.js';
import { fingerprintLabel } from '../core/alerts/alert.js';
import { KIT_VARIABLES } from '../core/names.js';
import { memoryLogger } from '../core/runtime.js';
import { webhookPayload } from '../drill/emulators/github/events.js';
import { commentAs, issueOpsState } from '../drill/emulators/github/issueops-state.js';
import { repositoryDispatches } from '../drill/emulators/github/handlers-dispatch.js';
import { startGitHubEmulator, type GitHubEmulator } from '../drill/emulators/github/server.js';
import { startIpBlockEmulators, type IpBlockEmulators } from '../drill/fixtures/ip-block-kit.js';
import { handleComment } from '../issueops/handle-comment.js';
import { eventRunDeps, type EventRunDeps } from '../runtime/event-runs.js';
import { githubClient } from '../runtime/github-client.js';
import { handleAlert } from './handle-alert.js';

/**
 * The drill of issue 16, end to end on real parts: the GitHub emulator (dispatch, webhook payloads
 * checked against GitHub's descriptions, permissions, comments, reactions), moto's WAFv2 and S3 for
 * the block, and the run session for every step. Events reach the handlers the way they reach the
 * `firebreak alert` / `issueops` commands: a payload file read through @actions/github's Context.
 */

const CONFIG = `
version: 1
alerts:
  automation:
    - { capability: block-ips, max_ttl: 1h }
  rules:
    - name: decoy-hit
      match: { source: honeypot, labels: { kind: decoy_hit } }
      severity: SEV1
      steps:
        - { capability: block-ips, apply: true, ttl: 1h, target: waf }
issueops:
  min_permission: write
`;

let ip: IpBlockEmulators;
let gh: GitHubEmulator;
let cwd: string;
let deps: EventRunDeps;

beforeAll(async () => {
  ip = await startIpBlockEmulators();
}, 60_000);
afterAll(async () => {
  await ip?.stop();
});
beforeEach(async () => {
  await ip.reprovision();
  gh = await startGitHubEmulator();
  cwd = await mkdtemp(join(tmpdir(), 'firebreak-alerts-'));
  await writeFile(join(cwd, 'firebreak.yml'), CONFIG);
  const env = { ...ip.env, ...gh.env() };
  deps = await eventRunDeps({ env, cwd, logger: () => memoryLogger() });
  issueOpsState(gh.state).collaborators.set('ic-alice', 'maintain');
  issueOpsState(gh.state).collaborators.set('reader-rob', 'read');
});
afterEach(async () => {
  gh.assertNoViolations();
  await gh.stop();
});

/** Writes the payload where the runner would and reads it back through @actions/github's Context. */
async function deliver(eventName: string, payload: Record<string, unknown>): Promise<{ eventName: string; payload: Record<string, unknown> }> {
  const file = join(cwd, `event-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(payload));
  const saved = { path: process.env.GITHUB_EVENT_PATH, name: process.env.GITHUB_EVENT_NAME };
  process.env.GITHUB_EVENT_PATH = file;
  process.env.GITHUB_EVENT_NAME = eventName;
  try {
    const Context = github.context.constructor as new () => typeof github.context;
    const ctx = new Context();
    return { eventName: ctx.eventName, payload: ctx.payload as Record<string, unknown> };
  } finally {
    process.env.GITHUB_EVENT_PATH = saved.path;
    process.env.GITHUB_EVENT_NAME = saved.name;
  }
}

/** The dispatches the emulator received, as the repository_dispatch events GitHub would deliver. */
async function dispatched(): Promise<Array<{ eventName: string; payload: Record<string, unknown> }>> {
  const list = repositoryDispatches(gh.state).splice(0);
  return Promise.all(list.map((d) => deliver('repository_dispatch', webhookPayload('repository_dispatch$event', { action: d.eventType, client_payload: d.clientPayload, branch: 'main', sender: { login: d.sender, id: 9, type: 'Bot' } }))));
}

function commentEvent(issueNumber: number, login: string, body: string, action: 'created' | 'edited' = 'created'): Promise<{ eventName: string; payload: Record<string, unknown> }> {
  const issue = gh.state.issues.get(issueNumber)!;
  const c = commentAs(gh.state, issueNumber, login, body);
  const user = { login, id: 1000 + login.length, type: 'User' };
  return deliver(
    'issue_comment',
    webhookPayload(`issue_comment$${action}`, {
      action,
      issue: { number: issue.number, title: issue.title, state: issue.state, locked: false, assignee: null, labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })), user },
      comment: { id: c.id, body: c.body, user },
      ...(action === 'edited' ? { changes: { body: { from: '/firebreak ack' } } } : {}),
      sender: user,
    }),
  );
}

async function wafV4(): Promise<string[]> {
  const [, , name, id] = ip.kit.env[KIT_VARIABLES.wafIpSetV4Arn]!.split('/');
  const client = new WAFV2Client({ region: ip.moto.region, endpoint: ip.moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const out = await client.send(new GetIPSetCommand({ Name: name!, Id: id!, Scope: 'REGIONAL' }));
  client.destroy();
  return [...(out.IPSet?.Addresses ?? [])].sort();
}

async function records(): Promise<AuditRecord[]> {
  const lines = (await readFile(join(cwd, '.firebreak', 'audit.jsonl'), 'utf8')).trim().split('\n');
  expect(verifyChain(lines).ok).toBe(true);
  return lines.map((l) => (JSON.parse(l) as { record: AuditRecord }).record);
}

const DECOY = { v: 1, format: 'firebreak', body: { source: 'honeypot', fingerprint: 'decoy:ssh-01', title: 'Decoy SSH host logged in', severity_hint: 'critical', labels: { kind: 'decoy_hit' }, addresses: ['203.0.113.7'] } };

describe('drill: alerts open incidents, responders act from the issue', () => {
  it('a decoy hit declares at the rule severity and blocks automatically; the same alert again attaches; commands plan, apply and refuse', async () => {
    const sender = githubClient(gh.env());
    await sender.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, event_type: 'firebreak-alert', client_payload: DECOY });
    const [first] = await dispatched();
    const opened = await handleAlert(deps, first!.eventName, first!.payload);
    expect(opened).toMatchObject({ kind: 'declared', rule: 'decoy-hit', steps: [{ capability: 'block-ips', dryRun: false, status: 'applied' }] });
    if (opened.kind === 'ignored') return expect.unreachable();
    const issue = gh.state.issues.get(opened.issue)!;
    expect(issue.labels).toEqual(expect.arrayContaining(['incident', fingerprintLabel(DECOY.body), expect.stringMatching(/SEV1/)]));
    expect(await wafV4()).toEqual(['203.0.113.7/32']);
    const block = (await records()).find((r) => r.step === 'block-ips')!;
    expect(block).toMatchObject({ actor: 'alert:honeypot', dryRun: false, incidentId: opened.incidentId, status: 'applied' });
    expect(JSON.stringify(block.input)).toMatch(/alert honeypot\/decoy:ssh-01 \(rule decoy-hit\)/);
    expect(JSON.stringify(block.input)).toMatch(/"ttl":"1h"/);

    // The storm goes on: the same alert joins the same incident, no second issue.
    await sender.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, event_type: 'firebreak-alert', client_payload: DECOY });
    const [second] = await dispatched();
    const again = await handleAlert(deps, second!.eventName, second!.payload);
    expect(again).toMatchObject({ kind: 'attached', incidentId: opened.incidentId, issue: opened.issue });
    expect([...gh.state.issues.values()].filter((i) => i.labels.includes('incident'))).toHaveLength(1);

    // A responder's commands run behind the protected environment, like the button: first a dry
    // run (planned, answered with the plan), then --apply (approved, applied).
    const replies = () => [...gh.state.comments.values()].filter((c) => c.issueNumber === opened.issue && c.user === gh.state.actor).map((c) => c.body);
    const dry = await commentEvent(opened.issue, 'ic-alice', '/firebreak block-ips 198.51.100.9 --reason "scanner behind the decoy" --ttl 4h --target waf');
    expect(await handleComment(deps, dry.eventName, dry.payload, 'plan')).toEqual({ kind: 'planned', capability: 'block-ips', lane: 'production', environment: 'production' });
    expect(replies().at(-1)).toMatch(/^⏳ .*the dry run of block-ips waits for a reviewer of the protected environment/);
    expect(await handleComment(deps, dry.eventName, dry.payload, 'apply')).toEqual({ kind: 'planned', capability: 'block-ips', lane: 'production', environment: 'production' });
    expect(replies().at(-1)).toMatch(/^📝 Plan for `\/firebreak block-ips 198\.51\.100\.9[\s\S]*198\.51\.100\.9\/32/);
    expect(await wafV4()).toEqual(['203.0.113.7/32']);

    const cmd = await commentEvent(opened.issue, 'ic-alice', '/firebreak block-ips 198.51.100.9 --reason "scanner behind the decoy" --ttl 4h --target waf --apply');
    expect(await handleComment(deps, cmd.eventName, cmd.payload, 'plan')).toEqual({ kind: 'planned', capability: 'block-ips', lane: 'production', environment: 'production' });
    expect(replies().at(-1)).toMatch(/the \*\*apply\*\* of block-ips waits for a reviewer/);
    expect(await wafV4()).toEqual(['203.0.113.7/32']);
    // The environment's reviewer approved: the apply job runs on the same event.
    expect(await handleComment(deps, cmd.eventName, cmd.payload, 'apply')).toEqual({ kind: 'applied', capability: 'block-ips', status: 'applied' });
    expect(await wafV4()).toEqual(['198.51.100.9/32', '203.0.113.7/32']);
    expect(replies().at(-1)).toMatch(/^✅ .* applied\./);
    const reactionsOf = (e: { payload: Record<string, unknown> }) => (issueOpsState(gh.state).reactions.get((e.payload.comment as { id: number }).id) ?? []).map((r) => r.content);
    expect(reactionsOf(dry)).toEqual(['eyes', '+1']);
    expect(reactionsOf(cmd)).toEqual(['eyes', 'rocket']);
    expect((await records()).filter((r) => r.step === 'block-ips').map((r) => [r.actor, r.dryRun, r.status])).toEqual([
      ['alert:honeypot', false, 'applied'],
      ['alert:honeypot', false, 'applied'],
      ['ic-alice', true, 'planned'],
      ['ic-alice', false, 'applied'],
    ]);

    // Someone with read access only: refused with the reason, nothing planned or changed.
    const rob = await commentEvent(opened.issue, 'reader-rob', '/firebreak block-ips 192.0.2.1 --reason x --apply');
    expect(await handleComment(deps, rob.eventName, rob.payload, 'plan')).toMatchObject({ kind: 'refused' });
    expect(replies().at(-1)).toMatch(/^❌ @reader-rob: .*refused[\s\S]*has the read role on this repository; block-ips from a comment needs write/);
    expect(reactionsOf(rob)).toEqual(['eyes', '-1']);
    expect(await wafV4()).toEqual(['198.51.100.9/32', '203.0.113.7/32']);
  }, 120_000);

  it('edits, non-commands, other issues and bots run nothing; bookkeeping aliases apply in the incident lane', async () => {
    const sender = githubClient(gh.env());
    await sender.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, event_type: 'firebreak-alert', client_payload: DECOY });
    const [ev] = await dispatched();
    const opened = await handleAlert(deps, ev!.eventName, ev!.payload);
    if (opened.kind === 'ignored') return expect.unreachable();
    const before = gh.state.comments.size;

    const edited = await commentEvent(opened.issue, 'ic-alice', '/firebreak block-ips 192.0.2.9 --reason x --apply', 'edited');
    expect(await handleComment(deps, edited.eventName, edited.payload, 'plan')).toMatchObject({ kind: 'ignored' });
    const chat = await commentEvent(opened.issue, 'ic-alice', 'looking into it');
    expect(await handleComment(deps, chat.eventName, chat.payload, 'plan')).toMatchObject({ kind: 'ignored' });
    const other = await sender.rest.issues.create({ owner: gh.owner, repo: gh.repo, title: 'unrelated' });
    const elsewhere = await commentEvent(other.data.number, 'ic-alice', '/firebreak ack');
    expect(await handleComment(deps, elsewhere.eventName, elsewhere.payload, 'plan')).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/not labelled incident/) });
    // Only the three comments the test itself made (and the other issue's), no replies or reactions.
    expect(gh.state.comments.size).toBe(before + 3);
    for (const e of [edited, chat, elsewhere]) expect(issueOpsState(gh.state).reactions.get((e.payload.comment as { id: number }).id)).toBeUndefined();

    const ack = await commentEvent(opened.issue, 'ic-alice', '/firebreak ack');
    expect(await handleComment(deps, ack.eventName, ack.payload, 'plan')).toEqual({ kind: 'planned', capability: 'post-update', lane: 'incident' });
    expect(await handleComment(deps, ack.eventName, ack.payload, 'apply')).toMatchObject({ kind: 'applied', capability: 'post-update' });
    expect([...gh.state.comments.values()].some((c) => c.issueNumber === opened.issue && c.body.includes('Acknowledged by @ic-alice.'))).toBe(true);
    expect(await wafV4()).toEqual(['203.0.113.7/32']);
  }, 120_000);

  it('a rule runs any capability marked safe, inputs mapped from the alert and checked by the capability first; unsafe steps stay dry runs', async () => {
    await writeFile(
      join(cwd, 'firebreak.yml'),
      `version: 1
alerts:
  automation:
    - { capability: freeze }
    - { capability: preserve-evidence }
  rules:
    - name: leaked-key
      match: { source: cloud-audit, labels: { kind: leaked_key } }
      severity: SEV2
      steps:
        - { capability: freeze, apply: true, inputs: { workflows: { from: labels.deploy_workflow }, lock-environment: production-eu } }
        - { capability: preserve-evidence, apply: true, inputs: { targets: { from: subjects }, from: { from: labels.started_at }, to: { from: labels.ended_at } } }
        - { capability: post-update, inputs: { text: { from: title } } }
        - { capability: disable-routes, apply: false, inputs: { routs: "/admin" } }
        - { capability: block-ips, inputs: { ttl: { from: labels.ttl } } }
`,
    );
    const env = { ...ip.env, ...gh.env() };
    deps = await eventRunDeps({ env, cwd, logger: () => memoryLogger() });
    gh.state.addWorkflow('.github/workflows/deploy.yml');
    gh.state.upsertEnvironment('production-eu', {});
    ip.moto.cloudTrail.add([
      { eventId: 'ev-1', eventName: 'CreateAccessKey', eventTime: '2026-12-02T05:10:00Z', username: 'ci-deployer', detail: { sourceIPAddress: '203.0.113.50' } },
      { eventId: 'ev-2', eventName: 'ListBuckets', eventTime: '2026-12-02T05:20:00Z', username: 'ci-deployer' },
      { eventId: 'ev-3', eventName: 'ListBuckets', eventTime: '2026-12-02T05:20:00Z', username: 'someone-else' },
    ]);
    const leak = { v: 1, format: 'firebreak', body: { source: 'cloud-audit', fingerprint: 'key:AKIA-ci-deployer', title: 'Access key of ci-deployer used from an unknown network', labels: { kind: 'leaked_key', deploy_workflow: 'deploy.yml', started_at: '2026-12-02T05:00:00Z', ended_at: '2026-12-02T06:00:00Z' }, subjects: ['cloudtrail:user:ci-deployer'], addresses: ['203.0.113.50'] } };
    const sender = githubClient(gh.env());
    await sender.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, event_type: 'firebreak-alert', client_payload: leak });
    const [ev] = await dispatched();
    const opened = await handleAlert(deps, ev!.eventName, ev!.payload);
    if (opened.kind === 'ignored') return expect.unreachable(opened.reason);
    // Each step's inputs went through its capability's schema before anything ran: the mistyped
    // input is refused by name, the rest run, the incident is still declared.
    expect(opened.refused).toEqual([expect.stringMatching(/^disable-routes: disable-routes has no input routs \(its inputs: routes, reason, target, verify\)/)]);
    expect(opened.skipped).toEqual(['block-ips: the alert names no labels.ttl']);
    expect(opened.steps.map((st) => [st.capability, st.dryRun, st.status, st.error])).toEqual([
      ['freeze', false, 'applied', undefined],
      ['preserve-evidence', false, 'applied', undefined],
      ['post-update', true, 'planned', undefined],
    ]);
    // freeze applied on the GitHub emulator: INCIDENT_MODE=1, the deploy workflow disabled, the
    // environment the rule names locked.
    expect(gh.state.repoVariables.get('INCIDENT_MODE')?.value).toBe('1');
    expect(gh.state.environments.get('production-eu')?.deploymentBranchPolicy).not.toBeNull();
    expect(gh.state.findWorkflow('.github/workflows/deploy.yml')?.state).toBe('disabled_manually');
    // preserve-evidence applied on moto: the principal's CloudTrail events for the window, nobody else's.
    const s3 = new S3Client({ region: ip.moto.region, endpoint: ip.moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true });
    const bucket = ip.env[KIT_VARIABLES.evidenceBucket]!;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `incidents/${opened.incidentId}/evidence/cloudtrail/` }));
    const key = listed.Contents?.map((o) => o.Key!).find((k) => k.includes('/user/ci-deployer/'));
    expect(key).toBeDefined();
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key! }))).Body!.transformToString();
    s3.destroy();
    expect(body.trim().split('\n').map((l) => (JSON.parse(l) as { eventId: string }).eventId).sort()).toEqual(['ev-1', 'ev-2']);
    // post-update is not listed as safe: planned only, nothing posted with the alert's title.
    expect([...gh.state.comments.values()].filter((c) => c.issueNumber === opened.issue && c.body.includes('Access key of ci-deployer used') && !c.body.startsWith('<!--'))).toEqual([]);
    // Audited as the alert, with the alert as the reason.
    const recs = (await records()).filter((r) => r.step === 'freeze' || r.step === 'preserve-evidence');
    expect(recs.map((r) => [r.step, r.actor, r.dryRun, r.status])).toEqual([
      ['freeze', 'alert:cloud-audit', false, 'applied'],
      ['preserve-evidence', 'alert:cloud-audit', false, 'applied'],
    ]);
    expect(recs.every((r) => r.incidentId === opened.incidentId)).toBe(true);
  }, 120_000);

  it('a secret-scanning alert opens an incident, and the leaked secret never reaches an issue, a reply, a log line, the outcome or the audit chain', async () => {
    const CANARY = 'ghp_CANARYcanary0123456789abcdefCANARY42';
    await writeFile(
      join(cwd, 'firebreak.yml'),
      `version: 1
alerts:
  automation: [{ capability: post-update }]
  rules:
    - name: leaked-secret
      match: { source: secret-scanning }
      severity: SEV1
      steps:
        - { capability: post-update, apply: true, inputs: { text: { from: title } } }
        - { capability: post-update, apply: true, inputs: { text: { from: subjects } } }
        - { capability: post-update, apply: true, inputs: { text: { from: url } } }
        - { capability: post-update, apply: true, inputs: { text: { from: labels.secret_type } } }
`,
    );
    const logger = memoryLogger();
    deps = await eventRunDeps({ env: { ...ip.env, ...gh.env() }, cwd, logger: () => logger });
    const alert = (n: number) =>
      webhookPayload('secret_scanning_alert$created', {
        action: 'created',
        alert: { number: n, html_url: `https://github.com/acme/shop/security/secret-scanning/${n}`, secret_type: 'github_personal_access_token', secret_type_display_name: 'GitHub Personal Access Token', secret: CANARY, state: 'open' },
        repository: { full_name: 'acme/shop', name: 'shop' },
      });
    // The event as the workflow would read it (if GitHub ever triggers one), and as a relayed dispatch.
    const direct = await deliver('secret_scanning_alert', alert(7));
    const first = await handleAlert(deps, direct.eventName, direct.payload);
    const sender = githubClient(gh.env());
    await sender.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, event_type: 'firebreak-alert', client_payload: { v: 1, format: 'secret-scanning', body: alert(8) } });
    const [relayed] = await dispatched();
    const second = await handleAlert(deps, relayed!.eventName, relayed!.payload);
    for (const o of [first, second]) {
      expect(o).toMatchObject({ kind: 'declared', rule: 'leaked-secret' });
      if (o.kind === 'ignored') return expect.unreachable();
      expect(o.steps.map((st) => st.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    }
    const everything = [
      JSON.stringify([...gh.state.issues.values()]),
      JSON.stringify([...gh.state.comments.values()]),
      await readFile(join(cwd, '.firebreak', 'audit.jsonl'), 'utf8'),
      JSON.stringify([first, second]),
      logger.lines.join('\n'),
    ];
    // The posts did happen (the check below is not vacuous): the type and the link are there.
    expect(everything[1]).toContain('github_personal_access_token');
    expect(everything[1]).toContain('secret-scanning/8');
    for (const text of everything) expect(text).not.toContain(CANARY);
    expect(everything.join('\n')).not.toContain('CANARYcanary');
  }, 120_000);

  it("an alert's text cannot mention people, add HTML or links on the incident issue", async () => {
    const sender = githubClient(gh.env());
    const hostile = { ...DECOY, body: { ...DECOY.body, fingerprint: 'decoy:ssh-02', title: '@acme/everyone <img src=x onerror=alert(1)> [urgent](https://evil.example) `rm -rf`' } };
    await sender.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, event_type: 'firebreak-alert', client_payload: hostile });
    const [ev] = await dispatched();
    const opened = await handleAlert(deps, ev!.eventName, ev!.payload);
    if (opened.kind === 'ignored') return expect.unreachable();
    const issue = gh.state.issues.get(opened.issue)!;
    // Rendered text only: inside a code fence (the audit records' JSON) nothing is a mention or HTML.
    const rendered = (t: string) => t.replace(/```[\s\S]*?```/g, '');
    const texts = [issue.title, issue.body ?? '', ...[...gh.state.comments.values()].filter((c) => c.issueNumber === opened.issue).map((c) => c.body)].map(rendered);
    for (const t of texts) {
      expect(t).not.toMatch(/(^|[^\\])@acme\/everyone/);
      // Escaped (`\\<img`) renders as text; unescaped would be HTML.
      expect(t).not.toMatch(/(^|[^\\])<img/);
      expect(t).not.toMatch(/(^|[^\\])\[urgent\]\(/);
    }
    expect(issue.title).toContain('acme/everyone');
  }, 120_000);
});
