/**
 * The responder role's policies as the kit really renders them: `createKit` from the documented
 * example config (infra/Pulumi.example.yaml) under the strict Pulumi mocks, then every inline
 * policy of the role, the evidence bucket policy and the evidence key policy, as AWS would receive
 * them. Call before anything else imports @pulumi/pulumi in the test file.
 */
import * as pulumi from '@pulumi/pulumi';
import { installMocks, json, settle, valueOf } from '../../infra/testing/mocks.js';
import type { NamedPolicy, PolicyDocument } from '../../src/drill/iam/evaluate.js';

export interface RenderedKitPolicies {
  roleArn: string;
  /** Every inline policy on the responder role (`firebreak-<capability>`), and on no other role. */
  rolePolicies: NamedPolicy[];
  /** The audit writer role (the bookkeeping jobs' role: it only appends audit records) and its inline policies. */
  auditWriter: { roleArn: string; policies: NamedPolicy[] };
  bucketPolicy: PolicyDocument;
  keyPolicy: PolicyDocument;
  /** The kit's own identifiers, to map onto what a test created in moto. */
  ids: { ipv4SetArn: string; ipv6SetArn: string; ruleGroupArn: string; routeRegexSetArn: string; /** `firebreak:waf.blockIpSetArns`, in config order. */ extraIpSetArns: string[]; bucketName: string; bucketArn: string; kmsKeyArn: string; evidencePrefix: string; region: string; /** `aws.rotatableSecretTag`: the tag rotate-secret's grants require on a secret. */ rotatableSecretTag: { key: string; value: string } };
}

export async function renderKitResponderPolicies(): Promise<RenderedKitPolicies> {
  const mocks = installMocks();
  const { parseKitConfig } = await import('../../infra/config.js');
  const { createKit } = await import('../../infra/stack.js');
  const { readExampleSections } = await import('../../infra/testing/example-config.js');
  const config = parseKitConfig(readExampleSections());
  const kit = createKit(config);
  if (!kit.waf) throw new Error('the example config has no WAF section; the least-privilege test needs it');
  const [roleArn, writerArn, ipv4SetArn, ipv6SetArn, ruleGroupArn, routeRegexSetArn, bucketName, bucketArn, kmsKeyArn, evidencePrefix, region] = await Promise.all([
    valueOf(kit.responder.roleArn),
    valueOf(kit.auditWriter.roleArn),
    valueOf(kit.waf.ipv4SetArn),
    valueOf(kit.waf.ipv6SetArn),
    valueOf(kit.waf.ruleGroupArn),
    valueOf(kit.waf.routeRegexSetArn),
    valueOf(kit.evidence.bucketName),
    valueOf(kit.evidence.bucketArn),
    valueOf(kit.evidence.kmsKeyArn),
    valueOf(kit.evidence.prefix),
    valueOf(pulumi.output(kit.variables.awsRegion ?? '')),
  ]);
  await settle();
  // The kit attaches inline policies to more than one role: each role is judged by its own only.
  const policiesOf = (arn: string): NamedPolicy[] => {
    const role = arn.slice(arn.lastIndexOf('/') + 1);
    const found = mocks.ofType('aws:iam/rolePolicy:RolePolicy').filter((r) => r.inputs['role'] === role);
    if (found.length === 0) throw new Error(`no inline policy found on the role ${arn}`);
    return found.map((r) => ({ name: String(r.inputs['name']), document: json(r.inputs['policy']) as PolicyDocument }));
  };
  const rolePolicies = policiesOf(roleArn);
  const bucketPolicies = mocks.ofType('aws:s3/bucketPolicy:BucketPolicy');
  const keys = mocks.ofType('aws:kms/key:Key');
  if (bucketPolicies.length !== 1 || keys.length !== 1) throw new Error(`expected one bucket policy and one KMS key, got ${bucketPolicies.length} and ${keys.length}`);
  if (mocks.unmocked.length) throw new Error(`unmocked invokes: ${mocks.unmocked.join(', ')}`);
  return {
    roleArn,
    rolePolicies,
    auditWriter: { roleArn: writerArn, policies: policiesOf(writerArn) },
    bucketPolicy: json(bucketPolicies[0]!.inputs['policy']) as PolicyDocument,
    keyPolicy: json(keys[0]!.inputs['policy']) as PolicyDocument,
    ids: { ipv4SetArn, ipv6SetArn, ruleGroupArn, routeRegexSetArn, extraIpSetArns: config.waf?.blockIpSetArns ?? [], bucketName, bucketArn, kmsKeyArn, evidencePrefix, region, rotatableSecretTag: config.aws.rotatableSecretTag },
  };
}

/** Replaces each kit identifier with the one moto made, in every string of a document. */
export function remap<T>(doc: T, map: Record<string, string>): T {
  let text = JSON.stringify(doc);
  for (const [from, to] of Object.entries(map)) text = text.split(from).join(to);
  return JSON.parse(text) as T;
}
