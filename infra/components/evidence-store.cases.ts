import { beforeAll, describe, expect, it } from 'vitest';
import { json, settle, TEST_ACCOUNT, valueOf, type MockRecorder } from '../testing/mocks.js';

/** Cases for evidence-store.ts; run by components.test.ts under one set of strict mocks. */
export function evidenceStoreCases(mocks: MockRecorder): void {
  let evidence: typeof import('./evidence-store.js');
  let audit: typeof import('./audit-trail.js');
  const trail = `arn:aws:cloudtrail:eu-west-1:${TEST_ACCOUNT}:trail/firebreak-audit`;

  beforeAll(async () => {
    evidence = await import('./evidence-store.js');
    audit = await import('./audit-trail.js');
  });

  describe('EvidenceStore', () => {
    it('locks, versions, encrypts and closes the bucket', async () => {
      const store = new evidence.EvidenceStore('ev', { retentionDays: 400, cloudTrailArns: [trail] });
      const [bucketArn, keyArn, prefix] = await Promise.all([valueOf(store.bucketArn), valueOf(store.kmsKeyArn), valueOf(store.prefix)]);
      await settle();

      expect(mocks.named('ev').type).toBe('firebreak:aws:EvidenceStore');
      const bucket = mocks.named('ev-bucket');
      expect(bucket.inputs['objectLockEnabled']).toBe(true);
      expect(bucket.inputs['forceDestroy']).toBe(false);
      expect(bucket.inputs['tags']['firebreak:role']).toBe('evidence');

      expect(mocks.named('ev-versioning').inputs['versioningConfiguration']).toEqual({ status: 'Enabled' });
      const lock = mocks.named('ev-object-lock').inputs;
      expect(lock['objectLockEnabled']).toBe('Enabled');
      expect(lock['rule'].defaultRetention).toEqual({ mode: 'COMPLIANCE', days: 400 });

      const sse = mocks.named('ev-encryption').inputs['rules'][0];
      expect(sse.applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyArn });
      expect(sse.bucketKeyEnabled).toBe(true);
      expect(mocks.named('ev-key').inputs['enableKeyRotation']).toBe(true);

      expect(mocks.named('ev-public-access').inputs).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(mocks.named('ev-ownership').inputs['rule']).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
      const lifecycle = mocks.named('ev-lifecycle').inputs['rules'] as any[];
      expect(lifecycle.map((r) => r.id)).toEqual(['archive-evidence', 'abort-incomplete-uploads']);
      expect(lifecycle[0].transitions).toEqual([{ days: 90, storageClass: 'GLACIER' }]);
      expect(lifecycle[0].expiration).toBeUndefined();

      const policy = json(mocks.named('ev-policy').inputs['policy']);
      const sid = (s: string) => policy.Statement.find((x: any) => x.Sid === s);
      expect(sid('DenyUnencryptedOrOtherEncryptionPuts')).toMatchObject({
        Effect: 'Deny',
        Action: 's3:PutObject',
        Resource: `${bucketArn}/*`,
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      });
      expect(sid('DenyOtherKmsKeys').Condition.StringNotEquals['s3:x-amz-server-side-encryption-aws-kms-key-id']).toBe(keyArn);
      expect(sid('DenyInsecureTransport').Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
      expect(sid('AllowCloudTrailWrite').Condition.StringEquals['aws:SourceArn']).toEqual([trail]);
      expect(sid('AllowCloudTrailWrite').Resource).toBe(`${bucketArn}/cloudtrail/AWSLogs/${TEST_ACCOUNT}/*`);
      // The audit trail is append-only for every principal: no put without If-None-Match, no delete.
      expect(sid('DenyAuditOverwrites')).toEqual({
        Sid: 'DenyAuditOverwrites',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `${bucketArn}/audit/*`,
        Condition: { Null: { 's3:if-none-match': 'true' } },
      });
      expect(sid('DenyAuditDeletes')).toMatchObject({ Effect: 'Deny', Principal: '*', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Resource: `${bucketArn}/audit/*` });
      expect(sid('DenyAuditDeletes').Condition).toBeUndefined();
      // No statement lets anyone in without a service principal and a condition.
      for (const s of policy.Statement.filter((x: any) => x.Effect === 'Allow')) {
        expect(s.Principal).toHaveProperty('Service');
        expect(s.Condition).toBeDefined();
      }
      const keyPolicy = json(mocks.named('ev-key').inputs['policy']);
      expect(keyPolicy.Statement.find((s: any) => s.Sid === 'CloudTrailEncrypts').Condition.StringEquals['aws:SourceArn']).toEqual([trail]);
      expect(prefix).toBe('incidents/');
    });

    it('refuses an expiry shorter than the lock and a malformed prefix', () => {
      expect(() => new evidence.EvidenceStore('bad1', { retentionDays: 365, expireAfterDays: 30 })).toThrow(/must not be shorter than retentionDays/);
      expect(() => new evidence.EvidenceStore('bad2', { retentionDays: 365, prefix: 'no-slash' })).toThrow(/ending in "\/"/);
      expect(() => new evidence.EvidenceStore('bad3', { retentionDays: 0 })).toThrow(/retentionDays must be an integer from 1/);
      // Responders' evidence writes must not reach the append-only audit trail (or contain it).
      expect(() => new evidence.EvidenceStore('bad4', { retentionDays: 365, prefix: 'audit/' })).toThrow(/overlaps the audit trail/);
      expect(() => new evidence.EvidenceStore('bad5', { retentionDays: 365, prefix: 'audit/incidents/' })).toThrow(/overlaps the audit trail/);
    });
  });

  describe('AuditTrail', () => {
    it('is multi-Region, validates log files and delivers encrypted into the evidence bucket', async () => {
      const t = new audit.AuditTrail('at', { trailName: 'firebreak-audit', bucketName: 'evidence-bucket', kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/k' });
      expect(await valueOf(t.trailArn)).toBe(trail);
      await settle();
      expect(mocks.named('at').type).toBe('firebreak:aws:AuditTrail');
      expect(mocks.named('at-trail').inputs).toMatchObject({
        name: 'firebreak-audit',
        s3BucketName: 'evidence-bucket',
        s3KeyPrefix: evidence.CLOUDTRAIL_PREFIX,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k',
      });
      expect(audit.trailArn('aws', 'eu-west-1', TEST_ACCOUNT, 'firebreak-audit')).toBe(trail);
      expect(() => new audit.AuditTrail('bad', { trailName: 'x', bucketName: 'b', kmsKeyArn: 'k' })).toThrow(/trailName must be 3-128/);
    });
  });
}
