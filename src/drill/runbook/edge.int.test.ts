import { CreateIPSetCommand, CreateRegexPatternSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockIpsFixture } from '../../capabilities/block-ips/runbook-fixture.js';
import { disableRoutesFixture } from '../../capabilities/disable-routes/runbook-fixture.js';
import { verifyHealthFixture } from '../../capabilities/verify-health/runbook-fixture.js';
import { KIT_VARIABLES } from '../../core/names.js';
import type { RunbookFixture } from './fixture.js';
import { noCredentialInAudit } from './fixture-support.js';
import { RUNBOOK_FIXTURES } from './fixtures.js';
import { healthApp } from './health-app.js';
import { drillRunbook, type RunbookDrillReport, type StepReport } from './run.js';
import { RunbookWorld } from './world.js';

/**
 * The edge fixtures drilled end to end through the CLI (test/fixtures/runbooks/edge.md): freeze,
 * block-ips on WAF and Cloudflare (and a protected address refused), disable-routes (and a protected
 * route refused), limit-rate, verify-health against the drill's application, enable-routes,
 * restore-rate, unfreeze — then the same plan with the world sabotaged, where the fixtures must say
 * which check failed.
 */
const RUNBOOK = fileURLToPath(new URL('../../../test/fixtures/runbooks/edge.md', import.meta.url));

const failed = (s: StepReport | undefined) => (s?.expectations ?? []).filter((e) => !e.ok).map((e) => e.name);
const passed = (s: StepReport | undefined) => (s?.expectations ?? []).filter((e) => e.ok).map((e) => e.name);
const steps = (r: RunbookDrillReport, slug: string) => r.steps.filter((s) => s.step === slug);

describe('runbook drill: edge fixtures', () => {
  it('drills the edge runbook green, every step verified in the emulators', async () => {
    const report = await drillRunbook({ file: RUNBOOK });
    const broken = report.steps.filter((s) => !s.ok).map((s) => `${s.index + 1}. ${s.step}: ${failed(s).join('; ')} (${s.status} ${s.code ?? ''})`);
    expect(broken).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`)).toEqual([
      'freeze:applied',
      'declare:applied',
      'block-ips:applied',
      'block-ips:applied',
      'block-ips:refused:PROTECTED_RANGE',
      'disable-routes:applied',
      'disable-routes:refused:ROUTE_PROTECTED',
      'limit-rate:applied',
      'verify-health:applied',
      'verify-health:refused:VERIFY_INVALID',
      'enable-routes:applied',
      'restore-rate:applied',
      'unfreeze:applied',
    ]);
    const [both, wafOnly, refused] = steps(report, 'block-ips');
    expect(passed(both)).toEqual(
      expect.arrayContaining([
        'WAF IPv4 set holds 203.0.113.7/32',
        'WAF IPv6 set holds 2001:db8:66::9/128',
        'Cloudflare list holds 203.0.113.7/32',
        'the ledger record expires 4h after the block',
      ]),
    );
    expect(passed(both).some((n) => n.startsWith("the block ledger in the kit's evidence bucket (fb-runbook-evidence)"))).toBe(true);
    expect(passed(wafOnly)).toContain('target waf: the Cloudflare list is untouched');
    expect(passed(refused)).toEqual(['block-ips: no credential the step ran with is in the audit chain', 'block-ips refused: the WAF IP sets are unchanged', 'block-ips refused: the Cloudflare list is unchanged']);
    const [disabled, protectedRoute] = steps(report, 'disable-routes');
    expect(passed(disabled)).toEqual(expect.arrayContaining(['WAF kill-switch regex set holds /export/* (^/export(?:/.*)?$)', 'Cloudflare kill-switch matches /export/*', 'disable-routes: health check status passed']));
    expect(passed(protectedRoute)).toEqual(['disable-routes: no credential the step ran with is in the audit chain', 'disable-routes refused: the WAF regex set and the Cloudflare kill-switch are unchanged']);
    expect(passed(steps(report, 'enable-routes')[0])).toContain('WAF kill-switch regex set is back to its state before the incident');
    expect(passed(steps(report, 'restore-rate')[0])).toEqual(expect.arrayContaining(['WAF rate rule reads back exactly as before the incident', 'Cloudflare rate rule reads back exactly as before the incident']));
    expect(passed(steps(report, 'verify-health')[0])).toEqual([
      'verify-health: health check status passed',
      'verify-health: health check tasks passed',
      "verify-health: the application received status's probe",
      "verify-health: the application received tasks's probe",
    ]);
    expect(passed(steps(report, 'unfreeze')[0])).toContain('every workflow is back in its state before the freeze');
  }, 120_000);

  it('says which check failed when a step changed the wrong thing or the application is unhealthy', async () => {
    // block-ips pointed at a decoy IP set (a kit variable gone wrong): the step applies, the kit's set is untouched.
    const decoyBlock: RunbookFixture = {
      async prepare(world, input) {
        await blockIpsFixture.prepare!(world, input);
        const moto = await world.aws();
        const waf = new WAFV2Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
        const decoy = await world.once('decoy', async () => (await waf.send(new CreateIPSetCommand({ Name: 'decoy', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: [] }))).Summary!.ARN!);
        waf.destroy();
        world.env[KIT_VARIABLES.wafIpSetV4Arn] = decoy;
      },
      verify: blockIpsFixture.verify,
    };
    // disable-routes pointed at a decoy regex set: it applies there, the kit's kill-switch set stays empty.
    const decoyRoutes: RunbookFixture = {
      async prepare(world, input) {
        await disableRoutesFixture.prepare!(world, input);
        const moto = await world.aws();
        const waf = new WAFV2Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
        const decoy = await world.once('decoy-routes', async () => (await waf.send(new CreateRegexPatternSetCommand({ Name: 'decoy-routes', Scope: 'REGIONAL', RegularExpressionList: [] }))).Summary!.ARN!);
        waf.destroy();
        world.env[KIT_VARIABLES.wafRouteRegexSetArn] = decoy;
      },
      verify: disableRoutesFixture.verify,
    };
    // The application answers /tasks unhealthy.
    const sickApp: RunbookFixture = {
      async prepare(world, input) {
        await verifyHealthFixture.prepare!(world, input);
        (await healthApp(world)).unhealthy.add('tasks');
      },
      verify: verifyHealthFixture.verify,
    };
    const report = await drillRunbook({ file: RUNBOOK, fixtures: { ...RUNBOOK_FIXTURES, 'block-ips': decoyBlock, 'disable-routes': decoyRoutes, 'verify-health': sickApp } });
    expect(report.ok).toBe(false);
    const [both] = steps(report, 'block-ips');
    expect(both?.status).toBe('applied');
    expect(failed(both)).toEqual(['WAF IPv4 set holds 203.0.113.7/32']);
    expect(passed(both)).toContain('Cloudflare list holds 203.0.113.7/32');
    const [disabled] = steps(report, 'disable-routes');
    expect(disabled?.status).toBe('applied');
    expect(failed(disabled)).toEqual(['WAF kill-switch regex set holds /export/* (^/export(?:/.*)?$)', 'WAF kill-switch regex set holds /erase/<id> (^/erase/[^/]+/?$)']);
    expect(passed(disabled)).toContain('Cloudflare kill-switch matches /export/*');
    const health = steps(report, 'verify-health')[0];
    expect(health?.ok).toBe(false);
    expect(failed(health)).toEqual(['verify-health applied', 'verify-health: health check tasks passed']);
    expect(health?.expectations.find((e) => e.name === 'verify-health: health check tasks passed')?.detail).toMatch(/^failed: .*503/);
    expect(passed(health)).toContain('verify-health: health check status passed');
    // Everything else still verified green: the failures are exactly the sabotaged ones.
    expect(report.steps.filter((s) => !s.ok).map((s) => s.step)).toEqual(['block-ips', 'block-ips', 'disable-routes', 'verify-health']);
  }, 120_000);

  it('names a credential the step ran with when the audit chain holds it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-edge-leak-'));
    try {
      const world = new RunbookWorld({ workDir: dir, start: new Date('2026-12-02T09:00:00Z') });
      Object.assign(world.env, { CLOUDFLARE_API_TOKEN: 'cf-token-7f3a9c', AWS_SECRET_ACCESS_KEY: 'testing' });
      await writeFile(world.auditFile, '{"step":"block-ips","input":{"reason":"testing"}}\n');
      expect(await noCredentialInAudit(world, 'block-ips')).toEqual({ name: 'block-ips: no credential the step ran with is in the audit chain', ok: true });
      await writeFile(world.auditFile, '{"step":"block-ips","error":{"message":"401 for token cf-token-7f3a9c"}}\n');
      expect(await noCredentialInAudit(world, 'block-ips')).toMatchObject({ ok: false, detail: 'the audit file holds the value of CLOUDFLARE_API_TOKEN' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
