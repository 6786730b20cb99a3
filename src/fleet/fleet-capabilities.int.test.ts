import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../cli/io.js';
import { main } from '../cli/main.js';
import { verifyChain } from '../core/audit.js';
import type { FleetLedger } from '../core/fleet/run-ledger.js';
import { LOCKED_POLICY } from '../capabilities/freeze/ports.js';
import { startFleetKit, type FleetKit } from '../drill/fixtures/fleet-kit.js';
import { FLEET_CAPABILITIES } from './capabilities.js';
import { FLEET_SLUGS } from './slugs.js';

/**
 * Fleet beyond block-ips (issue 17): rotate-secret on the same secret in 3 moto accounts × 2 regions
 * (each account reached by AssumeRole, each rotated to its own value), freeze on two GitHub
 * repositories (one with a deploy environment), and `--targets` on the generated capability commands
 * (`firebreak block-ips … --targets tag:pci`), all through the one fleet runner.
 */
let kit: FleetKit;
let dir: string;
const ACCOUNTS = ['100000000000', '100000001111', '100000002222'];
const REGIONS = ['eu-west-1', 'us-east-1'];
const SECRET = 'prod/api-key';

beforeAll(async () => {
  kit = await startFleetKit({
    accounts: 3,
    regions: REGIONS,
    cloudflareAccounts: 1,
    tags: (kind, i) => (kind === 'aws' && i === 0 ? ['prod', 'pci'] : ['prod']),
    githubRepos: [{ repository: 'acme/api', environment: 'production', tags: ['prod'] }, { repository: 'acme/web', tags: ['prod'] }],
  });
  for (const a of ACCOUNTS) {
    for (const r of REGIONS) {
      const sm = secrets(a, r);
      await sm.send(new CreateSecretCommand({ Name: SECRET, SecretString: `initial-${a}-${r}`, Tags: [{ Key: 'firebreak:rotatable', Value: 'true' }] }));
      sm.destroy();
    }
  }
  dir = await mkdtemp(join(tmpdir(), 'fleet-caps-'));
  await writeFile(join(dir, 'fleet-targets.json'), JSON.stringify({ version: 1, source: 'drill', targets: kit.targets }));
  await writeFile(join(dir, 'firebreak.yml'), 'version: 1\nfleet:\n  targets_file: fleet-targets.json\n  concurrency: 3\n  sets:\n    prod: [tag:prod]\n');
}, 120_000);
afterAll(async () => {
  await kit?.stop();
});

function secrets(account: string, region: string): SecretsManagerClient {
  const access = kit.awsAccess(account, region);
  return new SecretsManagerClient({ region, endpoint: access.endpoint, credentials: access.credentials });
}
async function current(account: string, region: string): Promise<string> {
  const sm = secrets(account, region);
  try {
    return (await sm.send(new GetSecretValueCommand({ SecretId: SECRET, VersionStage: 'AWSCURRENT' }))).SecretString!;
  } finally {
    sm.destroy();
  }
}
function io() {
  // Each target's API base (Cloudflare account, GitHub repository) is per emulator: the CLI reads
  // them from the environment, so a test run points the whole fleet at one of them per command.
  return memoryIo({ ...kit.env, USER: 'octo', FIREBREAK_FINGERPRINT_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff' }, dir);
}
const ledger = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8')) as FleetLedger;

describe('fleet-capable capabilities', () => {
  it('the registry and the slug list name the same capabilities, each on the providers it acts on', () => {
    expect(Object.keys(FLEET_CAPABILITIES).sort()).toEqual([...FLEET_SLUGS].sort());
    expect(Object.fromEntries(Object.entries(FLEET_CAPABILITIES).map(([k, c]) => [k, c.providers]))).toEqual({ 'block-ips': ['aws', 'cloudflare'], 'rotate-secret': ['aws'], freeze: ['github'] });
  });
});

describe('rotate-secret across 3 accounts × 2 regions', () => {
  it('`firebreak rotate-secret aws:secret:NAME --targets prod` plans without writing; `fleet run rotate-secret --apply` rotates each account/region to its own value', async () => {
    const before = await Promise.all(ACCOUNTS.flatMap((a) => REGIONS.map((r) => current(a, r))));
    const plan = io();
    expect(await main(['rotate-secret', `aws:secret:${SECRET}`, '--targets', 'prod', '--incident', 'INC-17', '--audit-file', 'rotate.jsonl'], plan), [...plan.out, ...plan.err].join('\n')).toBe(0);
    expect(plan.out.join('\n')).toContain('## rotate-secret plan: planned (6 target(s))');
    expect(await Promise.all(ACCOUNTS.flatMap((a) => REGIONS.map((r) => current(a, r))))).toEqual(before);

    const apply = io();
    expect(await main(['fleet', 'run', 'rotate-secret', '--target', `aws:secret:${SECRET}`, '--targets', 'prod', '--incident', 'INC-17', '--apply', '--audit-file', 'rotate.jsonl', '--ledger-out', 'rotate-ledger.json'], apply), [...apply.out, ...apply.err].join('\n')).toBe(0);
    expect(apply.out.join('\n')).toContain('## rotate-secret: ok (6 target(s))');
    const after = await Promise.all(ACCOUNTS.flatMap((a) => REGIONS.map((r) => current(a, r))));
    after.forEach((v, i) => expect(v, apply.out.join('\n')).not.toBe(before[i]));
    expect(new Set(after).size).toBe(6);
    const l = await ledger('rotate-ledger.json');
    expect(l.outcomes.map((o) => [o.target, o.status])).toEqual(ACCOUNTS.flatMap((a) => REGIONS.map((r) => [`aws/${a}/${r}`, 'applied'])));
    // No value in the output, the ledger or the chain; the chain holds 6 target records + 1 parent per run.
    const chainText = await readFile(join(dir, 'rotate.jsonl'), 'utf8');
    for (const v of after) {
      expect(apply.out.join('\n')).not.toContain(v);
      expect(chainText).not.toContain(v);
      expect(JSON.stringify(l)).not.toContain(v);
    }
    const chain = chainText.trim().split('\n');
    expect(chain).toHaveLength(14);
    expect(verifyChain(chain).ok).toBe(true);
    expect(JSON.parse(chain.at(-1)!).record.step).toBe('fleet:rotate-secret');
  }, 120_000);

  it('refuses a secret scoped to one account before any provider is called', async () => {
    const out = io();
    const before = kit.moto.requests.length;
    expect(await main(['fleet', 'run', 'rotate-secret', '--target', `aws:secret:${SECRET}@100000000000/eu-west-1`, '--targets', 'prod', '--apply'], out)).toBe(2);
    expect(out.err.join('\n')).toMatch(/takes the bare name/);
    expect(kit.moto.requests.length).toBe(before);
  });
});

describe('freeze across two GitHub repositories', () => {
  it('`firebreak fleet run freeze --targets provider:github`: each repository frozen, the one with an environment locked there', async () => {
    const api = kit.github.find((g) => g.env().GITHUB_REPOSITORY === 'acme/api')!;
    const web = kit.github.find((g) => g.env().GITHUB_REPOSITORY === 'acme/web')!;
    // Both emulators answer on their own base URL: the fleet kit maps each repository target to its own.
    const run = async (repo: string, gh: typeof api) => {
      const out = memoryIo({ ...kit.env, ...gh.env(), USER: 'octo' }, dir);
      const code = await main(['fleet', 'run', 'freeze', '--workflows', 'deploy.yml', '--targets', `id:github/${repo}${repo === 'acme/api' ? '/production' : ''}`, '--incident', 'INC-17', '--apply', '--audit-file', 'freeze.jsonl'], out);
      return { code, text: out.out.join('\n') };
    };
    const a = await run('acme/api', api);
    expect(a.code).toBe(0);
    expect(a.text).toContain('## freeze: ok (1 target(s))');
    expect(api.state.findWorkflow('deploy.yml')!.state).toBe('disabled_manually');
    expect(api.state.environments.get('production')!.deploymentBranchPolicy).toEqual(LOCKED_POLICY);
    expect(api.state.environments.get('production')!.variables.get('INCIDENT_MODE')?.value).toBe('1');
    expect(api.state.repoVariables.get('INCIDENT_MODE')).toBeUndefined();
    const w = await run('acme/web', web);
    expect(w.code).toBe(0);
    expect(web.state.repoVariables.get('INCIDENT_MODE')?.value).toBe('1');
    expect(web.state.findWorkflow('deploy.yml')!.state).toBe('disabled_manually');
    api.assertNoViolations();
    web.assertNoViolations();
  }, 60_000);
});

describe('--targets on the generated capability commands', () => {
  it('`firebreak block-ips ADDRESS --targets tag:pci --apply` blocks on the pci targets only, through the fleet runner', async () => {
    const out = io();
    expect(await main(['block-ips', '198.51.100.23', '--reason', 'card testing from one host', '--ttl', '1h', '--incident', 'INC-17', '--targets', 'tag:pci', '--apply', '--audit-file', 'block.jsonl'], out), [...out.out, ...out.err].join('\n')).toBe(0);
    expect(out.out.join('\n')).toContain('## block-ips: ok (2 target(s))');
    for (const r of REGIONS) expect(await kit.wafAddresses('100000000000', r)).toEqual(['198.51.100.23/32']);
    expect(await kit.wafAddresses('100000001111', 'eu-west-1')).toEqual([]);
    const chain = (await readFile(join(dir, 'block.jsonl'), 'utf8')).trim().split('\n');
    expect(JSON.parse(chain.at(-1)!).record.step).toBe('fleet:block-ips');
  }, 60_000);

  it('a capability that is not fleet-capable has no --targets (a usage error, recorded as refused)', async () => {
    const out = io();
    expect(await main(['unblock-ips', '198.51.100.23', '--reason', 'x y z', '--targets', 'prod'], out)).toBe(2);
    expect(out.err.join('\n')).toMatch(/unknown option '--targets'/);
  });
});
