import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { runCapabilityAction } from '../../runtime/capability-action.js';
import { startAwsEchoServer, type AwsEchoServer } from '../../../test/helpers/aws-echo-server.js';
import { canary, leaks, type Canary } from '../../../test/helpers/canary.js';
import { runActionInProcess } from '../../../test/helpers/in-process-action.js';
import { capability as restoreAccess } from '../restore-access/capability.js';
import { capability as revokeAccess } from './capability.js';
import { CONSOLE_PASSWORD, provisionAccessKit, type AccessKit } from './fixture.js';

/**
 * The canary suite for revoke-access and restore-access: the responder's credentials (the GitHub
 * App token, the AWS secret key) are echoed back by the providers in error bodies, and the
 * revoked principals' own secrets (an access key's secret, a console password) exist in the
 * providers; a CLI run (text and --json), an action run (log, summary, outputs) and both audit
 * files, plus every access-ledger object, must show none of them in any form.
 */
const GH = canary('GitHub App token', 'CANARYgh8R', 'ghs_re/vo+ke=0123456789ABCDEFGH');
const AWS_SECRET = canary('AWS secret key', 'CANARYaws4T', 'wJalrX/UtnFE+MI=K7MDENG0123bPxRfiCY');

let moto: MotoServer;
let gh: GitHubEmulator;
let echo: AwsEchoServer;
let kit: AccessKit;
let dir: string;
let all: Canary[];

beforeAll(async () => {
  moto = await startMoto();
  gh = await startGitHubEmulator({ token: GH.value });
  echo = await startAwsEchoServer([AWS_SECRET.value]);
  kit = await provisionAccessKit(moto, gh, 'canary');
  dir = await mkdtemp(join(tmpdir(), 'firebreak-revoke-canary-'));
  await writeFile(join(dir, 'firebreak.yml'), 'version: 1\n');
  // The revoked user's own secrets are canaries too: firebreak never reads them, and must not start to.
  all = [GH, AWS_SECRET, { name: 'revoked key secret', value: kit.activeSecret, marker: kit.activeSecret }, { name: 'console password', value: CONSOLE_PASSWORD, marker: CONSOLE_PASSWORD }];
}, 60_000);

afterAll(async () => {
  await echo?.stop();
  await gh?.stop().catch(() => undefined);
  await moto?.stop();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...moto.env(), ...kit.env, AWS_SECRET_ACCESS_KEY: AWS_SECRET.value, USER: 'canary', ...extra };
}

async function ledgerText(): Promise<string> {
  const s3 = new S3Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true });
  const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: kit.bucket }))).Contents ?? []).map((o) => o.Key!);
  const bodies = await Promise.all(keys.map(async (k) => (await s3.send(new GetObjectCommand({ Bucket: kit.bucket, Key: k }))).Body!.transformToString('utf8')));
  s3.destroy();
  return bodies.join('\n');
}

interface Case {
  name: string;
  targets: string;
  arm(): void;
  env?: () => Record<string, string>;
}

const CASES: Case[] = [
  {
    name: 'GitHub echoes the App token when removing a member',
    targets: 'github:user:eve',
    arm: () =>
      gh.faults.add({
        method: 'DELETE',
        path: /\/memberships\/eve$/,
        status: 502,
        times: Infinity,
        body: { message: `upstream said: token ${GH.value} / ${Buffer.from(GH.value).toString('base64')} / ${encodeURIComponent(GH.value)}`, documentation_url: 'https://docs.github.com/rest', status: '502' },
      }),
  },
  {
    name: 'AWS echoes the secret key while revoking an IAM user',
    targets: `aws:iam-user:${'mallory-canary'}`,
    arm: () => undefined,
    env: () => ({ AWS_ENDPOINT_URL: echo.endpoint }),
  },
];

describe.each(CASES)('revoke-access canary: $name', (c) => {
  it('no channel, audit file or ledger object shows any credential in any form', async () => {
    gh.faults.clear();
    c.arm();
    const runEnv = env(c.env?.() ?? {});
    const i = CASES.indexOf(c);
    const channels: Record<string, string> = {};
    for (const json of [false, true]) {
      const io = memoryIo(runEnv, dir);
      const auditFile = join(dir, `cli-${i}-${json}.jsonl`);
      const code = await main(['revoke-access', c.targets, '--reason', 'canary run', '--revocation-id', `canary-${i}`, '--apply', '--config', 'firebreak.yml', '--audit-file', auditFile, ...(json ? ['--json'] : [])], io);
      expect(code).not.toBe(0);
      channels[`CLI${json ? ' --json' : ''} stdout`] = io.out.join('\n');
      channels[`CLI${json ? ' --json' : ''} stderr`] = io.err.join('\n');
      channels[`CLI${json ? ' --json' : ''} audit file`] = await readFile(auditFile, 'utf8');
      // The fault really reached what the CLI reported, scrubbed.
      expect(`${io.out.join('\n')}\n${io.err.join('\n')}`).toContain('[REDACTED]');
    }
    const workspace = await mkdtemp(join(tmpdir(), 'firebreak-revoke-canary-action-'));
    await writeFile(join(workspace, 'firebreak.yml'), 'version: 1\n');
    const action = await runActionInProcess(() => runCapabilityAction(revokeAccess), {
      workspace,
      env: { ...runEnv, FIREBREAK_AUDIT_FILE: join(workspace, 'audit.jsonl') },
      inputs: { targets: c.targets, reason: 'canary run', 'revocation-id': `canary-${i}`, apply: 'true' },
    });
    expect(action.result.exitCode).not.toBe(0);
    channels['action stdout'] = action.stdout;
    channels['action summary'] = action.summary;
    channels['action outputs'] = JSON.stringify(action.outputs);
    channels['action audit file'] = await readFile(join(workspace, 'audit.jsonl'), 'utf8');
    expect(action.stdout).toContain('[REDACTED]');
    for (const secret of [GH, AWS_SECRET]) expect(action.masked).toContain(secret.value);
    channels['access ledger'] = await ledgerText();
    expect(leaks(channels, all)).toEqual([]);
  });
});

describe('revoke-access canary: a successful revoke and restore', () => {
  it('records key ids and prior state, never a credential', async () => {
    gh.faults.clear();
    const channels: Record<string, string> = {};
    for (const [slug, cap, extra] of [
      ['revoke-access', revokeAccess, {}],
      ['restore-access', restoreAccess, {}],
    ] as const) {
      const workspace = await mkdtemp(join(tmpdir(), `firebreak-${slug}-canary-`));
      await writeFile(join(workspace, 'firebreak.yml'), 'version: 1\n');
      const action = await runActionInProcess(() => runCapabilityAction(cap), {
        workspace,
        env: { ...env(), FIREBREAK_AUDIT_FILE: join(workspace, 'audit.jsonl') },
        inputs: { targets: `aws:iam-user:${kit.user} github:user:bob`, reason: 'canary success', 'revocation-id': 'canary-ok', apply: 'true', ...extra },
      });
      expect(action.result.exitCode).toBe(0);
      channels[`${slug} stdout`] = action.stdout;
      channels[`${slug} summary`] = action.summary;
      channels[`${slug} audit`] = await readFile(join(workspace, 'audit.jsonl'), 'utf8');
    }
    channels['access ledger'] = await ledgerText();
    expect(channels['revoke-access audit']).toContain(kit.activeKey);
    expect(channels['access ledger']).toContain(kit.activeKey);
    expect(leaks(channels, all)).toEqual([]);
  });
});
