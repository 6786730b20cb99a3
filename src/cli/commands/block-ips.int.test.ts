import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../core/errors.js';
import { startGitHubEmulator } from '../../drill/emulators/github/server.js';
import { startIpBlockEmulators, type IpBlockEmulators } from '../../drill/fixtures/ip-block-kit.js';
import { GitHubIncidentLedger } from '../../providers/github/incident-ledger.js';
import { githubClient } from '../../runtime/github-client.js';
import { memoryIo } from '../io.js';
import { main } from '../main.js';

let emu: IpBlockEmulators;
let dir: string;

beforeAll(async () => {
  emu = await startIpBlockEmulators();
  dir = await mkdtemp(join(tmpdir(), 'firebreak-cli-block-'));
  await writeFile(join(dir, 'firebreak.yml'), 'version: 1\nprotected_ranges:\n  - cidr: 192.0.2.0/24\n    label: office\n');
}, 60_000);
afterAll(async () => {
  await emu?.stop();
});
beforeEach(async () => {
  await emu.reprovision();
});

const cli = (args: string[]) => {
  const io = memoryIo(emu.env, dir);
  return main([...args, '--config', 'firebreak.yml'], io).then((code) => ({ code, out: io.out.join('\n'), err: io.err.join('\n') }));
};

describe('firebreak block-ips / unblock-ips / sweep-expired', () => {
  it('dry-runs, applies, reports per target, and unblocks', async () => {
    const dry = await cli(['block-ips', '198.51.100.20,198.51.100.21', '2001:db8:3::/48', '--reason', 'scanner', '--incident', 'INC-9']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('+ waf:REGIONAL:IPV4 add 198.51.100.20/31');
    expect(dry.out).toContain('dry run: nothing changed');
    expect(emu.cf.state.listItems(emu.kit.listId)).toEqual([]);

    const applied = await cli(['block-ips', '198.51.100.20,198.51.100.21', '2001:db8:3::/48', '--reason', 'scanner', '--incident', 'INC-9', '--ttl', '2h', '--apply']);
    expect(applied.code).toBe(0);
    expect(applied.out).toContain('✓ cloudflare:list add 198.51.100.20/31');
    emu.cf.state.settle();
    expect(emu.cf.state.listItems(emu.kit.listId).map((i) => i.ip).sort()).toEqual(['198.51.100.20/31', '2001:db8:3::/48']);

    const un = await cli(['unblock-ips', '198.51.100.20/31', '--reason', 'done', '--apply', '--json']);
    expect(un.code).toBe(0);
    expect(JSON.parse(un.out)).toMatchObject({ ok: true, status: 'applied' });
    emu.cf.state.settle();
    expect(emu.cf.state.listItems(emu.kit.listId).map((i) => i.ip)).toEqual(['2001:db8:3::/48']);

    const sweep = await cli(['sweep-expired']);
    expect(sweep.code).toBe(0);
  });

  it('exits with the guard code for a protected range', async () => {
    const r = await cli(['block-ips', '192.0.2.10', '--reason', 'oops', '--incident', 'INC-9', '--apply']);
    expect(r.code).toBe(EXIT_CODES.guard);
    expect(r.err).toMatch(/PROTECTED_RANGE|protected/);
  });

  it('a laptop run for an incident lands on the incident issue, and only warns when GitHub is down', async () => {
    const gh = await startGitHubEmulator();
    try {
      const env = { ...emu.env, ...gh.env() };
      const run = async (args: string[], e: Record<string, string | undefined>) => {
        const io = memoryIo(e, dir);
        const code = await main([...args, '--config', 'firebreak.yml'], io);
        return { code, out: io.out.join('\n'), err: io.err.join('\n') };
      };
      const declared = await run(['declare', '--title', 'Scanner at the edge', '--severity', 'SEV2', '--apply', '--json'], env);
      expect(declared.code).toBe(0);
      const id = (JSON.parse(declared.out) as { plan: { meta: { incident: { id: string } } } }).plan.meta.incident.id;

      const blocked = await run(['block-ips', '198.51.100.40', '--reason', 'scanner', '--incident', id, '--apply'], env);
      expect(blocked.code).toBe(0);
      const ledger = new GitHubIncidentLedger(githubClient(gh.env()), { owner: gh.owner, repo: gh.repo, sleep: async () => {} });
      const issue = (await ledger.findIncident(id))!;
      expect((await ledger.readRecords(issue.number)).map((r) => `${r.step}:${r.status}`)).toEqual(['declare:applied', 'block-ips:applied']);
      gh.assertNoViolations();

      // GitHub unreachable: the containment still applies; the record stays sealed in the file.
      await gh.stop();
      const offline = await run(['block-ips', '198.51.100.41', '--reason', 'scanner', '--incident', id, '--apply'], env);
      expect(offline.code).toBe(0);
      expect(offline.err).toMatch(/not copied to github-issue/);
      emu.cf.state.settle();
      expect(emu.cf.state.listItems(emu.kit.listId).map((i) => i.ip)).toContain('198.51.100.41');
    } finally {
      await gh.stop().catch(() => undefined);
    }
  });
});
