import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capability as blockIps } from '../../src/capabilities/block-ips/capability.js';
import { runCapabilityAction } from '../../src/runtime/capability-action.js';

const blockIpsAction = () => runCapabilityAction(blockIps);
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../src/drill/emulators/github/server.js';
import { startIpBlockEmulators, type IpBlockEmulators } from '../../src/drill/fixtures/ip-block-kit.js';
import { GitHubIncidentLedger } from '../../src/providers/github/incident-ledger.js';
import { githubClient } from '../../src/runtime/github-client.js';
import { startAwsEchoServer, type AwsEchoServer } from '../helpers/aws-echo-server.js';
import { canary, leaks, type Canary } from '../helpers/canary.js';
import { runActionInProcess } from '../helpers/in-process-action.js';
import { startHttpEmulator } from '../../src/drill/emulators/http-emulator.js';
import { startPagerDutyEmulator } from '../../src/drill/emulators/pagerduty/server.js';
import { startSlackEmulator } from '../../src/drill/emulators/slack/server.js';

/**
 * The canary suite (issue 8 §3): the same provider faults, each echoing the credential it received
 * in its error body, run through every entry point and every channel: CLI text and `--json`
 * (stdout and stderr), action stdout (log and `::error::`), job summary, outputs, the audit file, and
 * the incident issue the record is mirrored to. Zero occurrences of any canary in any form.
 */
const CF = canary('Cloudflare token', 'CANARYcf7Q', 'cf-tok/en+Ab=0123456789abcdefXYZ');
const GH = canary('GitHub token', 'CANARYgh3W', 'ghs_ab/c+d=ef0123456789ABCDEFGH');
const AWS_SECRET = canary('AWS secret key', 'CANARYaws9K', 'wJalrX/UtnFE+MI=K7MDENG0123bPxRfiCY');
const AWS_SESSION = canary('AWS session token', 'CANARYsts5P', 'IQoJb3/JpZ2+luX2=VjEO0123456789abcd');
const SLACK = canary('Slack bot token', 'CANARYsl4B', 'xoxb-1/2+3=abcdefghijklmnopqrstu');
const PD_KEY = canary('PagerDuty routing key', 'CANARYpd8R', 'R0ut/ing+Key=0123456789abcdefg');
const HOOK_SECRET = canary('webhook signing secret', 'CANARYwh2S', 'whsec/ab+cd=0123456789abcdefgh');
const ALL: Canary[] = [CF, GH, AWS_SECRET, AWS_SESSION, SLACK, PD_KEY, HOOK_SECRET];

let emu: IpBlockEmulators;
let gh: GitHubEmulator;
let echo: AwsEchoServer;
let dir: string;
let incidentId: string;
/** Everything every run printed or wrote, by channel; checked per scenario and once more at the end. */
const seen: Record<string, string> = {};

beforeAll(async () => {
  emu = await startIpBlockEmulators({ cloudflare: { token: CF.value } });
  gh = await startGitHubEmulator({ token: GH.value });
  echo = await startAwsEchoServer([AWS_SECRET.value]);
  dir = await mkdtemp(join(tmpdir(), 'firebreak-canary-'));
  await writeFile(join(dir, 'firebreak.yml'), 'version: 1\n');
  const io = memoryIo(baseEnv(), dir);
  expect(await main(['declare', '--title', 'Canary incident', '--severity', 'SEV2', '--apply', '--json', '--audit-file', join(dir, 'declare.jsonl')], io)).toBe(0);
  incidentId = (JSON.parse(io.out.join('\n')) as { plan: { meta: { incident: { id: string } } } }).plan.meta.incident.id;
}, 120_000);

afterAll(async () => {
  await echo?.stop();
  await gh?.stop().catch(() => undefined);
  await emu?.stop();
});

function baseEnv(): Record<string, string> {
  return {
    ...emu.env,
    ...gh.env(),
    AWS_SECRET_ACCESS_KEY: AWS_SECRET.value,
    AWS_SESSION_TOKEN: AWS_SESSION.value,
    FIREBREAK_SLACK_BOT_TOKEN: SLACK.value,
    FIREBREAK_PAGERDUTY_ROUTING_KEY: PD_KEY.value,
    FIREBREAK_WEBHOOK_SECRET: HOOK_SECRET.value,
    USER: 'canary',
  };
}

interface Fault {
  name: string;
  target: 'cloudflare' | 'waf';
  env?: () => Record<string, string>;
  arm(): void;
  /** The canary the fault echoes: the channel that reports the fault must show it redacted. */
  echoes: Canary;
}

/** Every write to the list's items fails with a Cloudflare v4 error envelope carrying `message`. */
function cloudflareItemsError(message: string) {
  return { method: 'POST', path: /\/items$/, status: 400, times: Infinity, body: { success: false, errors: [{ code: 10000, message }], messages: [], result: null } };
}

const FAULTS: Fault[] = [
  {
    name: 'Cloudflare echoes its API token in an error body',
    target: 'cloudflare',
    echoes: CF,
    arm: () =>
      emu.cf.faults.add(cloudflareItemsError(`Authentication error: token ${CF.value} (${Buffer.from(CF.value).toString('base64')}, ${encodeURIComponent(CF.value)}) is not valid`)),
  },
  {
    // firebreak shortens a provider's message (to 300 characters) before the redactor sees it: a
    // token the cut lands in is no longer the whole token, and its start (marker included) must not
    // survive. Lowercase percent-encoding is what some gateways write; the marker survives it.
    name: 'Cloudflare echoes its API token where the message is cut, and percent-encoded in lowercase',
    target: 'cloudflare',
    echoes: CF,
    arm: () =>
      emu.cf.faults.add(cloudflareItemsError(`bad token ${encodeURIComponent(CF.value).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())} ${'.'.repeat(300 - 11 - encodeURIComponent(CF.value).length - 1 - 20)}${CF.value}`)),
  },
  {
    name: 'AWS echoes the secret key and session token in an error body',
    target: 'waf',
    echoes: AWS_SECRET,
    env: () => ({ AWS_ENDPOINT_URL: echo.endpoint }),
    arm: () => undefined,
  },
  {
    name: 'GitHub echoes its token when the record is mirrored to the incident issue',
    target: 'cloudflare',
    echoes: GH,
    arm: () =>
      gh.faults.add({
        method: 'POST',
        path: /\/issues\/\d+\/comments$/,
        status: 401,
        times: Infinity,
        body: { message: `Bad credentials: ${GH.value} / ${Buffer.from(GH.value).toString('base64url')} / Basic ${Buffer.from(`user:${GH.value}`).toString('base64')}`, documentation_url: 'https://docs.github.com/rest', status: '401' },
      }),
  },
];

describe.each(FAULTS)('canary: $name', (fault) => {
  it('reaches no channel of the CLI (text and --json) or the action (log, summary, outputs), nor the audit files', async () => {
    emu.cf.faults.clear();
    gh.faults.clear();
    fault.arm();
    const env = { ...baseEnv(), ...(fault.env?.() ?? {}) };
    const address = `198.51.100.${10 + FAULTS.indexOf(fault)}`;
    const args = ['block-ips', address, '--reason', 'canary', '--incident', incidentId, '--target', fault.target, '--apply', '--config', 'firebreak.yml'];
    const channels: Record<string, string> = {};
    const reported: string[] = [];

    for (const json of [false, true]) {
      const io = memoryIo(env, dir);
      const auditFile = join(dir, `cli-${FAULTS.indexOf(fault)}-${json}.jsonl`);
      const code = await main([...args, ...(json ? ['--json'] : []), '--audit-file', auditFile], io);
      const label = `CLI${json ? ' --json' : ''}`;
      channels[`${label} stdout`] = io.out.join('\n');
      channels[`${label} stderr`] = io.err.join('\n');
      channels[`${label} audit file`] = await readFile(auditFile, 'utf8');
      reported.push(`${io.out.join('\n')}\n${io.err.join('\n')}`);
      // The GitHub fault only warns on a laptop (the record is sealed in the file); the others fail.
      expect(code === 0).toBe(fault.echoes === GH);
    }

    const actionWorkspace = await mkdtemp(join(tmpdir(), 'firebreak-canary-action-'));
    await writeFile(join(actionWorkspace, 'firebreak.yml'), 'version: 1\n');
    const action = await runActionInProcess(blockIpsAction, {
      workspace: actionWorkspace,
      env: { ...env, FIREBREAK_AUDIT_FILE: join(actionWorkspace, 'audit.jsonl') },
      inputs: { addresses: address, reason: 'canary', 'incident-id': incidentId, target: fault.target, apply: 'true' },
    });
    expect(action.result.exitCode).not.toBe(0);
    channels['action stdout'] = action.stdout;
    channels['action summary'] = action.summary;
    channels['action outputs'] = JSON.stringify(action.outputs);
    channels['action audit file'] = await readFile(join(actionWorkspace, 'audit.jsonl'), 'utf8');
    reported.push(action.stdout);
    // Every credential the run could read was handed to the runner's log mask before anything else.
    for (const c of ALL) expect(action.masked).toContain(c.value);

    Object.assign(seen, Object.fromEntries(Object.entries(channels).map(([k, v]) => [`${fault.name} / ${k}`, v])));
    expect(leaks(channels, ALL)).toEqual([]);
    // The fault really echoed into what each entry point reported, and was scrubbed there.
    for (const text of reported) expect(text).toContain('[REDACTED]');
  });
});

describe('canary: notify', () => {
  it('Slack, PagerDuty and a webhook receiver echoing their credentials reach no CLI channel, audit file or message', async () => {
    const slack = await startSlackEmulator({ token: SLACK.value });
    const pd = await startPagerDutyEmulator({ routingKeys: [PD_KEY.value], apiToken: 'unused' });
    const hook = await startHttpEmulator('webhook', async (req) => {
      for await (const _ of req) void _;
      return { status: 500, body: { error: `bad signature with ${HOOK_SECRET.value}` } };
    });
    try {
      slack.faults.add({ path: '/api/conversations.create', status: 200, times: Infinity, body: { ok: false, error: `invalid_auth for ${SLACK.value}` } });
      pd.faults.add({ path: '/v2/enqueue', status: 400, times: Infinity, body: { status: 'invalid event', message: `routing_key ${PD_KEY.value} / ${Buffer.from(PD_KEY.value).toString('base64')} is invalid` } });
      const config = join(dir, 'notify.yml');
      await writeFile(config, `version: 1\nnotify:\n  allow_loopback_http: true\n  channels:\n    slack: { kind: slack }\n    pager: { kind: pagerduty }\n    hook: { kind: webhook }\n  routes:\n    - { events: [declared], channels: [slack, pager, hook] }\n`);
      const env = { ...baseEnv(), FIREBREAK_SLACK_API_URL: slack.apiUrl, FIREBREAK_PAGERDUTY_EVENTS_URL: pd.url, FIREBREAK_WEBHOOK_URL: `${hook.url}/hook` };
      const channels: Record<string, string> = {};
      for (const json of [false, true]) {
        const io = memoryIo(env, dir);
        const auditFile = join(dir, `notify-${json}.jsonl`);
        const code = await main(['notify', '--incident', incidentId, '--apply', '--config', config, '--audit-file', auditFile, ...(json ? ['--json'] : [])], io);
        expect(code).not.toBe(0);
        channels[`notify CLI${json ? ' --json' : ''} stdout`] = io.out.join('\n');
        channels[`notify CLI${json ? ' --json' : ''} stderr`] = io.err.join('\n');
        channels[`notify CLI${json ? ' --json' : ''} audit file`] = await readFile(auditFile, 'utf8');
        // Every provider's echo reached the report, scrubbed.
        expect(`${io.out.join('\n')}${io.err.join('\n')}`).toContain('[REDACTED]');
      }
      channels['slack messages'] = JSON.stringify([...slack.channels.values()]);
      channels['pagerduty alerts'] = JSON.stringify([...pd.alerts.values()].map((a) => a.summary));
      Object.assign(seen, channels);
      expect(leaks(channels, ALL)).toEqual([]);
    } finally {
      await Promise.all([slack.close(), pd.close(), hook.close()]);
    }
  });
});

describe('canary: the incident issue', () => {
  it('holds every mirrored record, and no canary in any comment', async () => {
    gh.faults.clear();
    const ledger = new GitHubIncidentLedger(githubClient(gh.env()), { owner: gh.owner, repo: gh.repo, sleep: async () => {} });
    const issue = (await ledger.findIncident(incidentId))!;
    const octokit = githubClient(gh.env());
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: gh.owner, repo: gh.repo, issue_number: issue.number, per_page: 100 });
    const bodies = comments.map((c) => c.body ?? '').join('\n');
    // declare + the two Cloudflare and the AWS fault runs (CLI twice, action once each); the GitHub fault's are refused by it.
    expect((await ledger.readRecords(issue.number)).filter((r) => r.step === 'block-ips').length).toBe(9);
    expect(bodies).toContain('[REDACTED]');
    expect(leaks({ 'issue comments': bodies, ...seen }, ALL)).toEqual([]);
  });
});
