import { beforeAll, describe, expect, it } from 'vitest';
import { settle, valueOf, type MockRecorder } from '../testing/mocks.js';

/** Cases for aws-forensics.ts; run by components.test.ts under one set of strict mocks. */
export function awsForensicsCases(mocks: MockRecorder): void {
  let logs: typeof import('./log-retention.js');
  let backup: typeof import('./snapshot-policy.js');
  let detection: typeof import('./threat-detection.js');
  let quarantine: typeof import('./quarantine-security-group.js');

  beforeAll(async () => {
    logs = await import('./log-retention.js');
    backup = await import('./snapshot-policy.js');
    detection = await import('./threat-detection.js');
    quarantine = await import('./quarantine-security-group.js');
  });

  describe('LogRetention', () => {
    it('keeps each listed group at least the configured days, protected and left behind on destroy', async () => {
      const lr = new logs.LogRetention('lr', { logGroupNames: ['/aws/ecs/api', '/aws/lambda/worker'], retentionDays: 366 });
      expect(await valueOf(lr.logGroupArns)).toHaveLength(2);
      await settle();
      expect(mocks.named('lr').type).toBe('firebreak:aws:LogRetention');
      const groups = mocks.ofType('aws:cloudwatch/logGroup:LogGroup');
      expect(groups.map((g) => [g.name, g.inputs['name']])).toEqual([
        ['lr-aws-ecs-api', '/aws/ecs/api'],
        ['lr-aws-lambda-worker', '/aws/lambda/worker'],
      ]);
      for (const g of groups) {
        // 366 is not a CloudWatch value; 400 is the next one up, never the 365 below.
        expect(g.inputs).toMatchObject({ retentionInDays: 400, deletionProtectionEnabled: true, skipDestroy: true });
      }
    });

    it('rounds up to CloudWatch values and refuses what it cannot keep', () => {
      expect(logs.retentionAtLeast(1)).toBe(1);
      expect(logs.retentionAtLeast(90)).toBe(90);
      expect(logs.retentionAtLeast(91)).toBe(120);
      expect(logs.retentionAtLeast(3653)).toBe(3653);
      expect(() => logs.retentionAtLeast(4000)).toThrow(/at most 3653/);
      expect(() => new logs.LogRetention('dup', { logGroupNames: ['/a', '/a'], retentionDays: 30 })).toThrow(/listed twice: \/a/);
    });
  });

  describe('SnapshotPolicy', () => {
    it('locks the vault and backs up tagged RDS, EBS and DynamoDB daily', async () => {
      const sp = new backup.SnapshotPolicy('sp', { tagKey: 'firebreak:backup', tagValue: 'true', retentionDays: 35, lockChangeableForDays: 3 });
      await valueOf(sp.planId);
      await settle();
      expect(mocks.named('sp').type).toBe('firebreak:aws:SnapshotPolicy');
      const lock = mocks.named('sp-vault-lock').inputs;
      expect(lock).toMatchObject({ backupVaultName: 'sp-vault', minRetentionDays: 35, changeableForDays: 3 });
      const rule = (mocks.named('sp-plan').inputs['rules'] as any[])[0];
      expect(rule).toMatchObject({ targetVaultName: 'sp-vault', lifecycle: { deleteAfter: 35 } });
      expect(rule.lifecycle.deleteAfter).toBeGreaterThanOrEqual(lock['minRetentionDays']);
      const sel = mocks.named('sp-selection').inputs;
      expect(sel['selectionTags']).toEqual([{ type: 'STRINGEQUALS', key: 'firebreak:backup', value: 'true' }]);
      expect(sel['resources']).toEqual(['arn:aws:rds:*:*:db:*', 'arn:aws:rds:*:*:cluster:*', 'arn:aws:ec2:*:*:volume/*', 'arn:aws:dynamodb:*:*:table/*']);
      expect(sel['iamRoleArn']).toContain(':role/sp-role');
      expect(mocks.named('sp-role-backup').inputs['policyArn']).toBe('arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup');
      expect(() => new backup.SnapshotPolicy('bad', { tagKey: 'k', tagValue: 'v', retentionDays: 7, lockChangeableForDays: 1 })).toThrow(/at least 3/);
    });
  });

  describe('ThreatDetection', () => {
    it('enables a GuardDuty detector, or reuses the existing one without creating another', async () => {
      const td = new detection.ThreatDetection('td', {});
      expect(await valueOf(td.detectorId)).toBe('detector0123456789');
      const reuse = new detection.ThreatDetection('td2', { existingDetectorId: 'abc' });
      expect(await valueOf(reuse.detectorId)).toBe('abc');
      await settle();
      const detectors = mocks.ofType('aws:guardduty/detector:Detector');
      expect(detectors.map((d) => d.name)).toEqual(['td-detector']);
      expect(detectors[0]!.inputs).toMatchObject({ enable: true, findingPublishingFrequency: 'FIFTEEN_MINUTES' });
    });
  });

  describe('QuarantineSecurityGroup', () => {
    it('has no ingress and no egress rule', async () => {
      const q = new quarantine.QuarantineSecurityGroup('q', { vpcId: 'vpc-1' });
      expect(await valueOf(q.securityGroupId)).toBe('sg-q-sg');
      await settle();
      const sg = mocks.named('q-sg').inputs;
      expect(sg['vpcId']).toBe('vpc-1');
      expect(sg['ingress']).toEqual([]);
      expect(sg['egress']).toEqual([]);
      expect(sg['revokeRulesOnDelete']).toBe(true);
    });
  });
}
