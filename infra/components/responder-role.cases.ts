import { beforeAll, describe, expect, it } from 'vitest';
import { json, settle, TEST_ACCOUNT, valueOf, type MockRecorder } from '../testing/mocks.js';

/** Cases for responder-role.ts; run by components.test.ts under one set of strict mocks. */
export function responderRoleCases(mocks: MockRecorder): void {
  let mod: typeof import('./responder-role.js');

  const ipv4 = `arn:aws:wafv2:eu-west-1:${TEST_ACCOUNT}:regional/ipset/v4/1`;
  const ipv6 = `arn:aws:wafv2:eu-west-1:${TEST_ACCOUNT}:regional/ipset/v6/2`;
  const regex = `arn:aws:wafv2:eu-west-1:${TEST_ACCOUNT}:regional/regexpatternset/r/3`;
  const group = `arn:aws:wafv2:eu-west-1:${TEST_ACCOUNT}:regional/rulegroup/g/4`;
  const tag = { key: 'firebreak:ok', value: 'true' };

  beforeAll(async () => {
    mod = await import('./responder-role.js');
  });

  /** Every action the policy allows on a literal `*` resource. */
  function actionsOnStar(doc: any): string[] {
    return doc.Statement.filter((s: any) => s.Effect === 'Allow' && [s.Resource].flat().includes('*')).flatMap((s: any) => [s.Action].flat());
  }

  describe('ResponderRole', () => {
    it('trusts only this repository environment through GitHub OIDC, with aud and sub pinned', async () => {
      const role = new mod.ResponderRole('resp', {
        repository: 'acme/shop',
        environment: 'incident',
        capabilities: {
          blockIps: { ipSetArns: [ipv4, ipv6] },
          disableRoutes: { ruleGroupArn: group, regexSetArn: regex, ipSetArns: [ipv4, ipv6] },
          limitRate: { ruleGroupArn: group, regexSetArn: regex, ipSetArns: [ipv4, ipv6] },
          preserveEvidence: { bucketArn: 'arn:aws:s3:::ev', prefix: 'incidents/', kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/k', logGroupNames: ['/aws/ecs/api'] },
          rotateSecret: { tag },
          isolate: { quarantineSecurityGroupId: 'sg-q', vpcId: 'vpc-1', tag },
          snapshot: { tag },
          triage: { detectorId: 'det1' },
          verifyHealth: {},
          auditTrail: { bucketArn: 'arn:aws:s3:::ev', kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/k' },
        },
      });
      const providerArn = await valueOf(role.oidcProviderArn);
      await valueOf(role.roleArn);
      await settle();

      expect(mocks.named('resp').type).toBe('firebreak:aws:ResponderRole');
      const provider = mocks.named('resp-github-oidc');
      expect(provider.inputs).toMatchObject({ url: 'https://token.actions.githubusercontent.com', clientIdLists: ['sts.amazonaws.com'] });

      const trust = json(mocks.named('resp-role').inputs['assumeRolePolicy']);
      expect(trust.Statement).toHaveLength(1);
      const [st] = trust.Statement;
      expect(st.Principal).toEqual({ Federated: providerArn });
      expect(st.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(st.Condition).toEqual({
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:acme/shop:environment:incident',
        },
      });

      const policies = mocks.ofType('aws:iam/rolePolicy:RolePolicy');
      expect(policies.map((p) => p.inputs['name']).sort()).toEqual(
        ['audit-trail', 'block-ips', 'disable-routes', 'isolate', 'limit-rate', 'preserve-evidence', 'rotate-secret', 'snapshot', 'triage', 'verify-health'].map((n) => `firebreak-${n}`),
      );
      const doc = (name: string) => json(mocks.named(`resp-${name}`).inputs['policy']);

      expect(doc('block-ips').Statement).toEqual([
        { Sid: 'ReadAndReplaceBlockedAddresses', Effect: 'Allow', Action: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'], Resource: [ipv4, ipv6] },
      ]);
      const routes = doc('disable-routes').Statement;
      expect(routes[0].Resource).toEqual([group, regex, ipv4, ipv6]);
      expect(routes[1]).toMatchObject({ Action: ['wafv2:GetRegexPatternSet', 'wafv2:UpdateRegexPatternSet'], Resource: regex });

      const evidence = doc('preserve-evidence').Statement;
      expect(evidence.find((s: any) => s.Sid === 'WriteEvidence').Resource).toBe('arn:aws:s3:::ev/incidents/*');
      expect(evidence.find((s: any) => s.Sid === 'ExportAndReadKeptLogs').Resource).toEqual([
        `arn:aws:logs:eu-west-1:${TEST_ACCOUNT}:log-group:/aws/ecs/api`,
        `arn:aws:logs:eu-west-1:${TEST_ACCOUNT}:log-group:/aws/ecs/api:*`,
      ]);

      expect(doc('verify-health').Statement).toEqual([
        { Sid: 'ReadAlarmStates', Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms'], Resource: `arn:aws:cloudwatch:eu-west-1:${TEST_ACCOUNT}:alarm:*` },
      ]);

      const rotate = doc('rotate-secret').Statement[0];
      expect(rotate.Resource).toBe(`arn:aws:secretsmanager:eu-west-1:${TEST_ACCOUNT}:secret:*`);
      expect(rotate.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/firebreak:ok': 'true' } });
      // Exactly what rotate-secret calls; GetRandomPassword has no resource type, so `*`.
      expect(rotate.Action).toEqual([
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
        'secretsmanager:DescribeSecret',
        'secretsmanager:ListSecretVersionIds',
      ]);
      expect(doc('rotate-secret').Statement[1]).toEqual({ Sid: 'GenerateSecretValues', Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' });
      // Consumers restarted after a rotation: service ARNs only, never `*`.
      expect(doc('rotate-secret').Statement[2]).toEqual({ Sid: 'RestartServicesThatReadSecrets', Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DescribeServices'], Resource: `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:service/*` });

      const isolate = doc('isolate').Statement;
      expect(isolate.find((s: any) => s.Sid === 'AttachQuarantineGroup').Resource).toBe(`arn:aws:ec2:eu-west-1:${TEST_ACCOUNT}:security-group/sg-q`);
      expect(isolate.find((s: any) => s.Sid === 'SwapGroupsOnTaggedInstances').Condition).toBeDefined();

      // Writes never touch `*`: only describe/list/get/lookup style reads do (cloudtrail:LookupEvents takes no resource).
      for (const p of policies) {
        for (const action of actionsOnStar(json(p.inputs['policy']))) {
          expect(action, `${p.inputs['name']} allows ${action} on *`).toMatch(/:(Describe|List|Get|Lookup)[A-Za-z]*$/);
        }
        for (const s of json(p.inputs['policy']).Statement) {
          for (const a of [s.Action].flat()) expect(a, `${p.inputs['name']}`).not.toContain('*');
        }
      }
    });

    it('audit trail: appends, reads and lists under audit/ only; never deletes, unlocks or sets its own retention', async () => {
      const role = new mod.ResponderRole('aud', {
        repository: 'acme/shop',
        environment: 'incident',
        existingOidcProviderArn: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        capabilities: { auditTrail: { bucketArn: 'arn:aws:s3:::ev', kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/k' } },
      });
      await valueOf(role.roleArn);
      await settle();
      const doc = json(mocks.named('aud-audit-trail').inputs['policy']);
      expect(mocks.named('aud-audit-trail').inputs['name']).toBe('firebreak-audit-trail');
      const allows = doc.Statement.filter((s: any) => s.Effect === 'Allow');
      // Exactly these grants: one write (PutObject), on the audit prefix only.
      expect(allows.map((s: any) => [s.Sid, s.Action, s.Resource])).toEqual([
        ['AppendAuditRecords', 's3:PutObject', 'arn:aws:s3:::ev/audit/*'],
        ['ReadAuditRecords', ['s3:GetObject', 's3:GetObjectVersion'], 'arn:aws:s3:::ev/audit/*'],
        ['ListAuditRecordVersions', 's3:ListBucketVersions', 'arn:aws:s3:::ev'],
        ['EncryptAuditRecords', ['kms:GenerateDataKey', 'kms:Decrypt'], 'arn:aws:kms:eu-west-1:1:key/k'],
      ]);
      expect(allows[2].Condition).toEqual({ StringLike: { 's3:prefix': 'audit/*' } });
      const allowed = allows.flatMap((s: any) => [s.Action].flat());
      for (const a of allowed) expect(a, 'no delete, retention or legal-hold grant').not.toMatch(/Delete|Retention|LegalHold|Bypass/);
      const denies = doc.Statement.filter((s: any) => s.Effect === 'Deny');
      expect(denies.find((s: any) => s.Sid === 'NeverDeleteOrUnlockAuditRecords')).toMatchObject({
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:BypassGovernanceRetention'],
        Resource: 'arn:aws:s3:::ev/audit/*',
      });
      // Retention is the bucket default: a put that brings its own lock mode or legal hold is refused.
      expect(denies.filter((s: any) => s.Action === 's3:PutObject').map((s: any) => s.Condition)).toEqual([
        { Null: { 's3:object-lock-mode': 'false' } },
        { Null: { 's3:object-lock-legal-hold': 'false' } },
      ]);
      expect(role.capabilities).toEqual(['auditTrail']);
    });

    it('reuses an existing OIDC provider and grants nothing for capabilities left out', async () => {
      const before = mocks.resources.length;
      const existing = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
      const role = new mod.ResponderRole('lean', {
        repository: 'acme/shop',
        environment: 'prod-incident',
        existingOidcProviderArn: existing,
        capabilities: { triage: { detectorId: 'det1' } },
      });
      await valueOf(role.roleArn);
      await settle();
      const created = mocks.resources.slice(before);
      expect(created.some((r) => r.type === 'aws:iam/openIdConnectProvider:OpenIdConnectProvider')).toBe(false);
      expect(created.filter((r) => r.type === 'aws:iam/rolePolicy:RolePolicy').map((r) => r.inputs['name'])).toEqual(['firebreak-triage']);
      expect(json(mocks.named('lean-role').inputs['assumeRolePolicy']).Statement[0].Principal.Federated).toBe(existing);
      expect(role.capabilities).toEqual(['triage']);
    });

    it('the audit writer (bookkeeping jobs) can only append audit records, and trusts only its environment', async () => {
      const before = mocks.resources.length;
      const provider = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
      const writer = new mod.AuditWriterRole('aw', { repository: 'acme/shop', environment: 'firebreak-incident', oidcProviderArn: provider, bucketArn: 'arn:aws:s3:::ev', kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/k' });
      await valueOf(writer.roleArn);
      await settle();
      const created = mocks.resources.slice(before);
      expect(created.filter((r) => r.type === 'aws:iam/rolePolicy:RolePolicy').map((r) => r.inputs['name'])).toEqual(['firebreak-audit-trail']);
      expect(created.some((r) => r.type === 'aws:iam/openIdConnectProvider:OpenIdConnectProvider')).toBe(false);
      const trust = json(mocks.named('aw-role').inputs['assumeRolePolicy']);
      expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:acme/shop:environment:firebreak-incident');
      expect(trust.Statement[0].Principal).toEqual({ Federated: provider });
      const doc = json(mocks.named('aw-audit-trail').inputs['policy']);
      expect(doc.Statement).toEqual(mod.auditTrailStatements({ partition: 'aws', region: 'eu-west-1', accountId: TEST_ACCOUNT }, { bucketArn: 'arn:aws:s3:::ev', kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/k' }));
      expect(() => new mod.AuditWriterRole('aw2', { repository: 'acme/shop', environment: '*', oidcProviderArn: provider, bucketArn: 'b', kmsKeyArn: 'k' })).toThrow(/no wildcards/);
    });

    it('pins the reusable workflow when asked: job_workflow_ref (StringLike) on both roles, sub still the caller\'s repo and environment', async () => {
      const provider = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
      const pin = `acme/firebreak/.github/workflows/reusable-*.yml@${'a'.repeat(40)}`;
      const role = new mod.ResponderRole('pinned', { repository: 'acme/shop', environment: 'incident', existingOidcProviderArn: provider, reusableWorkflow: pin, capabilities: {} });
      const writer = new mod.AuditWriterRole('pinned-aw', { repository: 'acme/shop', environment: 'firebreak-incident', oidcProviderArn: provider, reusableWorkflow: pin, bucketArn: 'arn:aws:s3:::ev', kmsKeyArn: 'k' });
      await valueOf(role.roleArn);
      await valueOf(writer.roleArn);
      await settle();
      for (const [name, environment] of [['pinned-role', 'incident'], ['pinned-aw-role', 'firebreak-incident']] as const) {
        const [st] = json(mocks.named(name).inputs['assumeRolePolicy']).Statement;
        expect(st.Condition, name).toEqual({
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': `repo:acme/shop:environment:${environment}`,
          },
          StringLike: { 'token.actions.githubusercontent.com:job_workflow_ref': pin },
        });
      }
      // Without the setting, no job_workflow_ref condition at all (the button workflows keep working).
      const plain = mod.responderTrustPolicy(provider, 'acme/shop', 'incident');
      expect(JSON.parse(plain).Statement[0].Condition.StringLike).toBeUndefined();
    });

    it.each([
      ['a wildcard owner', 'acme*/firebreak/.github/workflows/reusable-*.yml@*'],
      ['a wildcard repository', 'acme/*/.github/workflows/reusable-*.yml@*'],
      ['no ref', 'acme/firebreak/.github/workflows/reusable-*.yml'],
      ['an empty ref', 'acme/firebreak/.github/workflows/reusable-*.yml@'],
      ['a path outside .github/workflows', 'acme/firebreak/actions/block-ips/action.yml@main'],
      ['a sub-folder of .github/workflows', 'acme/firebreak/.github/workflows/x/reusable.yml@main'],
      ['no repository', 'acme/.github/workflows/reusable-*.yml@main'],
      ['a file that is not YAML', 'acme/firebreak/.github/workflows/reusable-*@main'],
      ['white space', 'acme/firebreak/.github/workflows/reusable-*.yml@main '],
    ])('refuses a reusableWorkflow with %s, on both roles, before creating anything', (_what, pattern) => {
      const before = mocks.resources.length;
      const provider = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
      expect(() => new mod.ResponderRole('bad-pin', { repository: 'acme/shop', environment: 'incident', existingOidcProviderArn: provider, reusableWorkflow: pattern, capabilities: {} })).toThrow(
        `ResponderRole: reusableWorkflow must look like owner/repo/.github/workflows/<file>.yml@<ref>`,
      );
      expect(() => new mod.AuditWriterRole('bad-pin-aw', { repository: 'acme/shop', environment: 'firebreak-incident', oidcProviderArn: provider, reusableWorkflow: pattern, bucketArn: 'b', kmsKeyArn: 'k' })).toThrow(
        `AuditWriterRole: reusableWorkflow must look like`,
      );
      expect(mocks.resources.slice(before).filter((r) => r.custom)).toEqual([]);
    });

    it('accepts the pins the docs show', () => {
      for (const pin of [
        `acme/firebreak/.github/workflows/reusable-*.yml@${'0'.repeat(40)}`,
        'acme/firebreak/.github/workflows/reusable-block-ips.yml@*',
        'acme/fire.break_2/.github/workflows/reusable-declare.yaml@refs/tags/v0.1.?',
      ]) {
        expect(JSON.parse(mod.responderTrustPolicy('arn:p', 'acme/shop', 'incident', pin)).Statement[0].Condition.StringLike).toEqual({ 'token.actions.githubusercontent.com:job_workflow_ref': pin });
      }
    });

    it('refuses wildcard environments and malformed repositories', () => {
      expect(() => new mod.ResponderRole('b1', { repository: 'acme/shop', environment: '*', capabilities: {} })).toThrow(/no wildcards/);
      expect(() => new mod.ResponderRole('b2', { repository: 'shop', environment: 'incident', capabilities: {} })).toThrow(/owner\/repo/);
    });
  });
}
