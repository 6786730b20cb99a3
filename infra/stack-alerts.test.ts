import type { ResourceValidationArgs } from '@pulumi/policy';
import { beforeAll, describe, expect, it } from 'vitest';
import { readExampleSections } from './testing/example-config.js';
import { installMocks, json, settle, valueOf, type MockRecorder } from './testing/mocks.js';

/**
 * The kit with `firebreak:alerts` (issue 16): the GuardDuty bridge, the webhook relay, and the
 * reviewer-less firebreak-automation environment with its own narrow role, built from the kit's
 * config under strict mocks and checked by the whole policy pack. Its own file: its own mocks.
 */
let mocks: MockRecorder;
let stack: typeof import('./stack.js');
let config: typeof import('./config.js');

beforeAll(async () => {
  mocks = installMocks();
  config = await import('./config.js');
  stack = await import('./stack.js');
});

const SIG = '4dabf18193072939515e22adb298388d';
const TOKEN = 'ghp_alertbridgetoken0123456789abcdefABCD';
const AM = 'alertmanager_relay_secret_0123456789abcdef';
const CF = 'cloudflare_relay_secret_0123456789abcdef0';

describe('firebreak:alerts in the kit config', () => {
  it('is opt-in with sane defaults, and its environment is never the responders\' or the bookkeeping one', () => {
    const base = readExampleSections();
    expect(config.parseKitConfig(base).alerts).toBeUndefined();
    expect(config.parseKitConfig({ ...base, alerts: {} }).alerts).toEqual({ environment: 'firebreak-automation', automate: ['block-ips'], guardDutyMinSeverity: 7, rateLimitPerSecond: 1 });
    expect(() => config.parseKitConfig({ ...base, alerts: { environment: 'incident' } })).toThrow(/alerts.environment: must differ/);
    expect(() => config.parseKitConfig({ ...base, alerts: { environment: 'firebreak-incident' } })).toThrow(/alerts.environment: must differ/);
    expect(() => config.parseKitConfig({ ...base, alerts: { automate: ['rotate-secret'] } })).toThrow(/firebreak:alerts.automate.0/);
    expect(() => config.parseKitConfig({ ...base, alerts: { guardDutyMinSeverity: 0 } })).toThrow(/firebreak:alerts.guardDutyMinSeverity/);
    expect(() => config.parseKitConfig({ ...base, alerts: { relay: {} } })).toThrow(/turn on alertmanager or cloudflare/);
  });

  it('refuses alerts without the bridge token, and a relay sender without its secret, before creating anything', () => {
    const before = mocks.resources.length;
    const cfg = config.parseKitConfig({ ...readExampleSections(), alerts: { relay: { cloudflare: true } } });
    expect(() => stack.createKit(cfg)).toThrow(/firebreak:alertsGithubToken/);
    expect(() => stack.createKit(cfg, { alertsGithubToken: TOKEN, alertRelaySecrets: { alertmanager: AM } })).toThrow(/firebreak:alertRelayCloudflareSecret/);
    expect(mocks.resources.length).toBe(before);
  });
});

describe('the kit with alerts', () => {
  it('creates the bridge, the relay and the automation environment with least privilege, and passes its own policy pack', async () => {
    const sections = readExampleSections();
    // Only Cloudflare is relayed, though both secrets are at hand: a sender is on only by config.
    const cfg = config.parseKitConfig({ ...sections, alerts: { automate: ['block-ips', 'isolate', 'freeze'], guardDutyMinSeverity: 8, relay: { cloudflare: true } } });
    const kit = stack.createKit(cfg, { alertsGithubToken: TOKEN, alertRelaySecrets: { alertmanager: AM, cloudflare: CF } });
    const automationRole = await valueOf(kit.alerts!.role.roleArn);
    const destination = await valueOf(kit.alerts!.bridge.apiDestinationArn);
    expect(await valueOf(kit.alerts!.relay!.endpoint)).toMatch(/^https:\/\/firebreak-alerts-relay-api-id\.execute-api\./);
    await valueOf(kit.responder.roleArn);
    await settle();

    // The connection holds the token as a secret; the destination only POSTs this repository's dispatches.
    const connection = mocks.named('firebreak-alerts-bridge-github');
    expect(connection.inputs['authParameters'][SIG]).toBe('1b47061264138c4ac30d75fd1eb44270');
    expect(connection.inputs['authParameters'].value.apiKey).toEqual({ key: 'Authorization', value: `Bearer ${TOKEN}` });
    expect(JSON.stringify(mocks.resources.filter((r) => r !== connection).map((r) => [r.inputs, r.state]))).not.toContain(TOKEN);
    expect(mocks.named('firebreak-alerts-bridge-dispatch').inputs).toMatchObject({ httpMethod: 'POST', invocationEndpoint: 'https://api.github.com/repos/my-org/my-service/dispatches' });
    // The GuardDuty rule: findings only, at or above the configured severity.
    const rule = mocks.ofType('aws:cloudwatch/eventRule:EventRule').find((r) => r.name === 'firebreak-alerts-bridge-findings')!;
    expect(JSON.parse(rule.inputs['eventPattern'])).toEqual({ source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 8] }] } });
    // The relay rule delivers to that same destination, nothing else; no route for the sender that is off.
    expect(mocks.ofType('aws:cloudwatch/eventTarget:EventTarget').filter((t) => t.name.startsWith('firebreak-alerts-')).map((t) => [t.name, t.inputs['arn']]).sort()).toEqual([
      ['firebreak-alerts-bridge-findings', destination],
      ['firebreak-alerts-relay-cloudflare', destination],
    ]);
    expect(mocks.ofType('aws:apigatewayv2/route:Route').map((r) => r.inputs['routeKey'])).toEqual(['POST /cloudflare']);
    expect(JSON.parse(mocks.ofType('aws:cloudwatch/eventRule:EventRule').find((r) => r.name === 'firebreak-alerts-relay-cloudflare')!.inputs['eventPattern'].value)).toEqual({ source: ['firebreak.relay.cloudflare'], 'detail-type': [CF] });

    // The automation role: this repository's firebreak-automation jobs only, and only the grants
    // of what alerts may apply (isolate's three; freeze is GitHub-only: nothing in AWS) plus the audit copy.
    const trust = json(mocks.named('firebreak-alerts-role-role').inputs['assumeRolePolicy']);
    expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:my-org/my-service:environment:firebreak-automation');
    expect(trust.Statement[0].Principal).toEqual(json(mocks.named('firebreak-responder-role').inputs['assumeRolePolicy']).Statement[0].Principal);
    expect(mocks.ofType('aws:iam/openIdConnectProvider:OpenIdConnectProvider')).toHaveLength(1);
    const grants = mocks.ofType('aws:iam/rolePolicy:RolePolicy').filter((p) => p.name.startsWith('firebreak-alerts-role-'));
    expect(grants.map((p) => p.inputs['name']).sort()).toEqual(['firebreak-audit-trail', 'firebreak-block-ips', 'firebreak-block-network', 'firebreak-isolate', 'firebreak-stop-tasks']);
    expect(json(mocks.named('firebreak-alerts-role-block-ips').inputs['policy'])).toEqual(json(mocks.named('firebreak-responder-block-ips').inputs['policy']));

    // The environment alert.yml names: no reviewers, the kit's variables, its own role's ARN.
    expect(mocks.named('firebreak-alerts-environment-environment').inputs).toMatchObject({ repository: 'my-service', environment: 'firebreak-automation', reviewers: [] });
    const vars = mocks.ofType('github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable').filter((v) => v.inputs['environment'] === 'firebreak-automation');
    expect(vars.find((v) => v.inputs['variableName'] === 'FIREBREAK_RESPONDER_ROLE_ARN')!.inputs['value']).toBe(automationRole);
    expect(vars.map((v) => v.inputs['variableName'])).toContain('FIREBREAK_WAF_IPSET_V4_ARN');

    // Every resource passes every rule of the pack (the new events rules with this stack's repository).
    const policies = await importPolicies();
    const problems: string[] = [];
    for (const r of mocks.resources.filter((x) => x.custom)) {
      for (const p of policies) {
        const props = Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, v && typeof v === 'object' && SIG in v ? v.value : v]));
        const args = {
          type: r.type,
          props,
          urn: `urn:${r.name}`,
          name: r.name,
          opts: {},
          stackTags: new Map(),
          isType: () => false,
          asType: () => undefined,
          getConfig: () => ({ minRetentionDays: 365, repository: 'my-org/my-service', minGuardDutySeverity: 7 }),
          notApplicable: () => {
            throw new Error('n/a');
          },
        } as unknown as ResourceValidationArgs;
        for (const v of [p.validateResource].flat()) await v?.(args, (m) => problems.push(`${p.name}: ${m}`));
      }
    }
    expect(problems).toEqual([]);
    expect(mocks.unmocked).toEqual([]);
  });
});

async function importPolicies() {
  const mods = await Promise.all([
    import('./policy/aws-cloudwatch-log-group-retention.js'),
    import('./policy/aws-s3-bucket-object-lock.js'),
    import('./policy/aws-s3-bucket-no-public-access.js'),
    import('./policy/aws-iam-no-wildcard-writes.js'),
    import('./policy/aws-iam-oidc-trust-pinned.js'),
    import('./policy/aws-events-github-dispatch-only.js'),
    import('./policy/aws-events-guardduty-severity.js'),
  ]);
  return [mods[0].logGroupRetention, mods[1].objectLock, mods[2].noPublicBucket, mods[3].noWildcardWrites, mods[4].oidcTrustPinned, mods[5].githubDispatchOnly, mods[6].guardDutySeverity];
}
