import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { capability as blockIps } from '../../src/capabilities/block-ips/capability.js';
import { capability as rotateSecret } from '../../src/capabilities/rotate-secret/capability.js';
import { startAtlasEmulator, type AtlasEmulator } from '../../src/drill/emulators/atlas/server.js';
import { startVaultEmulator, type VaultEmulator } from '../../src/drill/emulators/vault/server.js';
import { runCapabilityAction } from '../../src/runtime/capability-action.js';

const blockIpsAction = () => runCapabilityAction(blockIps);
const rotateSecretAction = () => runCapabilityAction(rotateSecret);

// rotate-secret makes its own values; here every local generator call answers the canary of the
// provider under test, so the real entry points rotate to a value the suite can search for.
const fixedValue = vi.hoisted(() => ({ value: '' }));
vi.mock('../../src/capabilities/rotate-secret/value-policy.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/capabilities/rotate-secret/value-policy.js')>();
  return { ...real, generateLocal: (policy: Parameters<typeof real.generateLocal>[0]) => fixedValue.value || real.generateLocal(policy) };
});
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
/** Values rotate-secret rotates TO, one per provider (issue 11): never in any channel either. */
const ROT_SM = canary('rotated Secrets Manager + Atlas password', 'CANARYrsm4Q', 'Sm/Rot+at=0123456789abcdefQRS');
const ROT_GH = canary('rotated GitHub secret', 'CANARYrgh8Z', 'Gh/Rot+at=0123456789abcdefTUV');
const ROT_VAULT = canary('rotated Vault KV key', 'CANARYrvt2M', 'Vt/Rot+at=0123456789abcdefWXY');
const ROT_ATLAS = canary('Atlas lock-out password', 'CANARYrat6D', 'At/Rot+at=0123456789abcdefZAB');
const ROTATED: Canary[] = [ROT_SM, ROT_GH, ROT_VAULT, ROT_ATLAS];
/** rotate-secret's own credentials for Vault and Atlas: masked like every other credential. */
const VAULT_TOKEN = canary('Vault token', 'CANARYvtk1H', 'hvs.Vt/ok+en=0123456789abcdefCDE');
const ATLAS_SECRET = canary('Atlas service account secret', 'CANARYask5J', 'mdb_sa_sk/Ab+c=0123456789abcdFGH');
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

describe('canary: rotate-secret rotates to a known value on every provider', () => {
  const PROJECT = 'ab'.repeat(12);
  let vault: VaultEmulator;
  let atlas: AtlasEmulator;
  beforeAll(async () => {
    [vault, atlas] = await Promise.all([startVaultEmulator({ token: VAULT_TOKEN.value }), startAtlasEmulator({ clientSecret: ATLAS_SECRET.value })]);
    const sm = new SecretsManagerClient({ region: emu.moto.region, endpoint: emu.moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await sm.send(new CreateSecretCommand({ Name: 'canary/db', SecretString: '{"user":"app","password":"old-db-password-1"}' }));
    sm.destroy();
    atlas.state.addUser(PROJECT, { username: 'app', password: 'old-db-password-1' });
    atlas.state.addUser(PROJECT, { username: 'intruder', password: 'old-intruder-pass' });
    gh.state.repoSecrets.set('CANARY_TOKEN', { value: 'old-gh-secret', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
    vault.state.putKv('secret', 'canary/jwt', { signing_key: 'old-jwt-key-000000', issuer: 'shop' });
  });
  afterAll(async () => {
    await Promise.all([vault?.stop(), atlas?.stop()]);
  });
  afterEach(() => {
    fixedValue.value = '';
  });
  const smValue = async () => {
    const sm = new SecretsManagerClient({ region: emu.moto.region, endpoint: emu.moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const v = (await sm.send(new GetSecretValueCommand({ SecretId: 'canary/db', VersionStage: 'AWSCURRENT' }))).SecretString!;
    sm.destroy();
    return v;
  };

  const CASES: Array<{ name: string; canary: Canary; args: string[]; inputs: Record<string, string>; landed: () => Promise<string | undefined>; arm?: () => void }> = [
    {
      name: 'Secrets Manager JSON key, set as the Atlas user password',
      canary: ROT_SM,
      args: ['aws:secret:canary/db', '--json-key', 'password', '--atlas-user', `atlas:db-user:admin/app@${PROJECT}`],
      inputs: { target: 'aws:secret:canary/db', 'json-key': 'password', 'atlas-user': `atlas:db-user:admin/app@${PROJECT}` },
      landed: async () => ((JSON.parse(await smValue()) as { password: string }).password === atlas.state.password(PROJECT, 'admin', 'app') ? atlas.state.password(PROJECT, 'admin', 'app') : 'mismatch'),
    },
    {
      name: 'GitHub repository secret (sealed box, opened by the emulator)',
      canary: ROT_GH,
      args: ['github:repo-secret:CANARY_TOKEN'],
      inputs: { target: 'github:repo-secret:CANARY_TOKEN' },
      landed: async () => gh.state.secretValue('CANARY_TOKEN'),
    },
    {
      name: 'Vault KV v2 key, with Vault echoing the value in an error once',
      canary: ROT_VAULT,
      args: ['vault:kv:secret/canary/jwt', '--json-key', 'signing_key'],
      inputs: { target: 'vault:kv:secret/canary/jwt', 'json-key': 'signing_key' },
      landed: async () => vault.state.readKv('secret', 'canary/jwt')?.signing_key as string | undefined,
      // Vault echoes the value it was sent and the token that sent it.
      arm: () => vault.faults.add({ method: 'POST', path: '/v1/secret/data/canary/jwt', status: 400, body: { errors: [`invalid value ${ROT_VAULT.value} (${Buffer.from(ROT_VAULT.value).toString('base64')}) from token ${VAULT_TOKEN.value}`] } }),
    },
    {
      name: 'Atlas database user locked out',
      canary: ROT_ATLAS,
      args: [`atlas:db-user:admin/intruder@${PROJECT}`, '--disable'],
      inputs: { target: `atlas:db-user:admin/intruder@${PROJECT}`, disable: 'true' },
      landed: async () => atlas.state.password(PROJECT, 'admin', 'intruder'),
    },
  ];

  it.each(CASES)('$name: the value lands, and no channel shows it in any form', async (c) => {
    const env = { ...baseEnv(), ...vault.env(), ...atlas.env(), FIREBREAK_GITHUB_TOKEN: GH.value, FIREBREAK_FINGERPRINT_KEY: 'ef'.repeat(32) };
    gh.faults.clear();
    fixedValue.value = c.canary.value;
    const channels: Record<string, string> = {};
    let failedOnce = false;
    for (const json of [false, true]) {
      c.arm?.();
      const io = memoryIo(env, dir);
      const auditFile = join(dir, `rotate-${CASES.indexOf(c)}-${json}.jsonl`);
      const code = await main(['rotate-secret', ...c.args, '--rotation-id', `canary-${CASES.indexOf(c)}-${json}`, '--incident', incidentId, '--apply', '--config', 'firebreak.yml', ...(json ? ['--json'] : []), '--audit-file', auditFile], io);
      if (code !== 0) failedOnce = true;
      const label = `CLI${json ? ' --json' : ''}`;
      channels[`${label} stdout`] = io.out.join('\n');
      channels[`${label} stderr`] = io.err.join('\n');
      channels[`${label} audit file`] = await readFile(auditFile, 'utf8');
      vault.faults.clear();
    }
    const workspace = await mkdtemp(join(tmpdir(), 'firebreak-canary-rotate-'));
    await writeFile(join(workspace, 'firebreak.yml'), 'version: 1\n');
    const action = await runActionInProcess(rotateSecretAction, {
      workspace,
      env: { ...env, FIREBREAK_AUDIT_FILE: join(workspace, 'audit.jsonl') },
      inputs: { ...c.inputs, 'rotation-id': `canary-${CASES.indexOf(c)}-action`, 'incident-id': incidentId, apply: 'true' },
    });
    expect(action.result.exitCode, action.stdout).toBe(0);
    for (const cred of [VAULT_TOKEN, ATLAS_SECRET]) expect(action.masked).toContain(cred.value);
    channels['action stdout'] = action.stdout;
    channels['action summary'] = action.summary;
    channels['action outputs'] = JSON.stringify(action.outputs);
    channels['action audit file'] = await readFile(join(workspace, 'audit.jsonl'), 'utf8');
    // The rotations really happened: the store holds the canary, so "not found" means "not leaked".
    expect(await c.landed()).toBe(c.canary.value);
    // Vault's echo really reached an error that was reported, and was scrubbed there.
    expect(failedOnce).toBe(c.arm !== undefined);
    expect(channels['CLI stderr']!.includes('[REDACTED]')).toBe(c.arm !== undefined);
    Object.assign(seen, Object.fromEntries(Object.entries(channels).map(([k, v]) => [`rotate-secret ${c.name} / ${k}`, v])));
    expect(leaks(channels, [...ALL, ...ROTATED, VAULT_TOKEN, ATLAS_SECRET])).toEqual([]);
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
    // rotate-secret's runs were mirrored too (one per entry point and provider, the refused one included).
    expect((await ledger.readRecords(issue.number)).filter((r) => r.step === 'rotate-secret').length).toBeGreaterThanOrEqual(12);
    expect(leaks({ 'issue comments': bodies, ...seen }, [...ALL, ...ROTATED, VAULT_TOKEN, ATLAS_SECRET])).toEqual([]);
  });
});
