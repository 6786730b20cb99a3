import { GetIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KIT_VARIABLES } from '../core/names.js';
import type { CloudflareEmulator } from '../drill/emulators/cloudflare/server.js';
import { webhookPayload } from '../drill/emulators/github/events.js';
import { commentAs, issueOpsState } from '../drill/emulators/github/issueops-state.js';
import { repositoryDispatches } from '../drill/emulators/github/handlers-dispatch.js';
import { provisionIpBlockKit, type IpBlockKit } from '../drill/fixtures/ip-block-kit.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../drill/scenario.js';
import { handleComment } from '../issueops/handle-comment.js';
import { eventRunDeps } from '../runtime/event-runs.js';
import { githubClient } from '../runtime/github-client.js';
import { handleAlert } from './handle-alert.js';
import { readChainRecords } from '../providers/local/file-audit-sink.js';

/**
 * Issue 16's drill: a decoy-hit alert (a real repository_dispatch to the GitHub emulator, delivered
 * as the webhook payload GitHub would send) declares an incident at the rule's severity and blocks
 * the source for the rule's TTL on its own, audited as the alert; the same alert again attaches to
 * that incident; a responder's `/firebreak block-ips … --apply` is planned, approved and applied;
 * a commenter without permission is refused with a reply.
 */
const CONFIG = `version: 1
alerts:
  automation: [{ capability: block-ips, max_ttl: 1h }]
  rules:
    - name: decoy-hit
      match: { source: honeypot, labels: { kind: decoy_hit } }
      severity: SEV1
      steps: [{ capability: block-ips, apply: true, ttl: 1h, target: waf }]
`;
const DECOY = { v: 1, format: 'firebreak', body: { source: 'honeypot', fingerprint: 'decoy:drill-01', title: 'Decoy SSH host logged in (drill)', labels: { kind: 'decoy_hit' }, addresses: ['203.0.113.77'] } };

let kit: IpBlockKit | undefined;


export const alertsScenario: DrillScenario = {
  name: 'alerts',
  description: 'a decoy-hit alert declares and blocks automatically, a repeat attaches, slash commands plan, apply and refuse',
  needs: ['aws', 'cloudflare', 'github'],

  async setup(env) {
    kit = await provisionIpBlockKit(env.aws!, env.cloudflare as unknown as CloudflareEmulator, { suffix: 'alerts' });
    await writeFile(join(env.workDir, 'firebreak.yml'), CONFIG);
    issueOpsState(env.github!.state).collaborators.set('drill-ic', 'maintain');
  },

  async run(env) {
    const out: Expectation[] = [];
    const gh = env.github!;
    const runEnv = { ...env.env, ...kit!.env, FIREBREAK_AUDIT_FILE: env.auditFile };
    const deps = await eventRunDeps({ env: runEnv, cwd: env.workDir, logger: () => env.log, clock: env.clock, sleep: env.sleep });
    const sender = githubClient(runEnv);
    const wafV4 = async () => {
      const [, , name, id] = kit!.env[KIT_VARIABLES.wafIpSetV4Arn]!.split('/');
      const client = new WAFV2Client({ region: env.aws!.region, endpoint: env.aws!.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
      const got = await client.send(new GetIPSetCommand({ Name: name!, Id: id!, Scope: 'REGIONAL' }));
      client.destroy();
      return [...(got.IPSet?.Addresses ?? [])].sort();
    };
    const deliverDispatch = async () => {
      await sender.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, event_type: 'firebreak-alert', client_payload: DECOY });
      const d = repositoryDispatches(gh.state).splice(0).at(-1)!;
      return webhookPayload('repository_dispatch$event', { action: d.eventType, client_payload: d.clientPayload, branch: 'main', sender: { login: d.sender, id: 9, type: 'Bot' } });
    };
    const comment = (issueNumber: number, login: string, body: string) => {
      const issue = gh.state.issues.get(issueNumber)!;
      const c = commentAs(gh.state, issueNumber, login, body);
      const user = { login, id: 4242, type: 'User' };
      return webhookPayload('issue_comment$created', {
        action: 'created',
        issue: { number: issue.number, title: issue.title, state: issue.state, locked: false, assignee: null, labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })), user },
        comment: { id: c.id, body: c.body, user },
        sender: user,
      });
    };
    const lastReply = (issue: number) => [...gh.state.comments.values()].filter((c) => c.issueNumber === issue && c.user === gh.state.actor && !c.body.startsWith('<!-- firebreak:audit')).at(-1)?.body ?? '';

    const opened = await handleAlert(deps, 'repository_dispatch', await deliverDispatch());
    if (opened.kind === 'ignored') return [check('decoy hit: an incident is declared', false, opened.reason)];
    const issue = gh.state.issues.get(opened.issue)!;
    out.push(checkEqual('decoy hit: declared', opened.kind, 'declared'));
    out.push(check('decoy hit: the incident has the rule severity SEV1', issue.labels.some((l) => l.includes('SEV1')), issue.labels.join(',')));
    out.push(check('decoy hit: the source is blocked automatically', (await wafV4()).includes('203.0.113.77/32'), JSON.stringify(await wafV4())));
    out.push(check('decoy hit: the block applied as alert:honeypot', opened.steps.length === 1 && opened.steps[0]!.status === 'applied' && !opened.steps[0]!.dryRun, JSON.stringify(opened.steps)));
    // The drill's chain holds every scenario's records: this one is the block the alert ran.
    const audited = (await readChainRecords(env.auditFile)).find((r) => r.step === 'block-ips' && r.actor === 'alert:honeypot');
    out.push(
      check(
        "decoy hit: audited as the alert, for the rule's TTL (1h), with the alert as the reason",
        audited?.actor === 'alert:honeypot' && audited.dryRun === false && audited.status === 'applied' && audited.incidentId === opened.incidentId && /"ttl":"1h"/.test(JSON.stringify(audited.input)) && /alert honeypot\/decoy:drill-01 \(rule decoy-hit\)/.test(JSON.stringify(audited.input)),
        JSON.stringify(audited ?? null).slice(0, 400),
      ),
    );

    const again = await handleAlert(deps, 'repository_dispatch', await deliverDispatch());
    out.push(check('same alert again: attached to the same incident', again.kind === 'attached' && again.issue === opened.issue, JSON.stringify(again)));

    const cmd = comment(opened.issue, 'drill-ic', '/firebreak block-ips 198.51.100.77 --reason "drill: scanner" --ttl 4h --target waf --apply');
    const planned = await handleComment(deps, 'issue_comment', cmd, 'plan');
    out.push(check('command: planned for the protected environment', planned.kind === 'planned' && planned.lane === 'production' && planned.environment === 'production', JSON.stringify(planned)));
    out.push(check('command: the reply names the environment whose reviewers approve it', /the \*\*apply\*\* of block-ips waits for a reviewer of the protected environment \*\*production\*\*/.test(lastReply(opened.issue)), lastReply(opened.issue)));
    out.push(check('command: nothing changed before approval', !(await wafV4()).includes('198.51.100.77/32')));
    const applied = await handleComment(deps, 'issue_comment', cmd, 'apply');
    out.push(check('command: applied after approval', applied.kind === 'applied' && (await wafV4()).includes('198.51.100.77/32'), JSON.stringify(applied)));
    const byResponder = (await readChainRecords(env.auditFile)).filter((r) => r.step === 'block-ips' && r.actor === 'drill-ic');
    out.push(check('command: audited as the responder who commented', byResponder.length === 1 && byResponder[0]!.dryRun === false && byResponder[0]!.status === 'applied', JSON.stringify(byResponder.map((r) => [r.actor, r.dryRun, r.status]))));

    const outsider = comment(opened.issue, 'drive-by', '/firebreak block-ips 192.0.2.77 --reason x --apply');
    const refused = await handleComment(deps, 'issue_comment', outsider, 'plan');
    out.push(check('no permission: refused', refused.kind === 'refused', JSON.stringify(refused)));
    out.push(check('no permission: the reply says why', /has the none role on this repository; block-ips from a comment needs write/.test(lastReply(opened.issue)), lastReply(opened.issue)));
    return out;
  },
};
