/**
 * firebreak's policy pack. Run it against the kit with
 *   pulumi preview --policy-pack policy      (from infra/)
 * Each rule lives in its own file; `policies` is what the pack enforces.
 */
import { PolicyPack, type ResourceValidationPolicy } from '@pulumi/policy';
import { logGroupRetention } from './aws-cloudwatch-log-group-retention.js';
import { githubDispatchOnly } from './aws-events-github-dispatch-only.js';
import { guardDutySeverity } from './aws-events-guardduty-severity.js';
import { noWildcardWrites } from './aws-iam-no-wildcard-writes.js';
import { oidcTrustPinned } from './aws-iam-oidc-trust-pinned.js';
import { objectLock } from './aws-s3-bucket-object-lock.js';
import { noPublicBucket } from './aws-s3-bucket-no-public-access.js';

export const policies: ResourceValidationPolicy[] = [logGroupRetention, objectLock, noPublicBucket, noWildcardWrites, oidcTrustPinned, githubDispatchOnly, guardDutySeverity];

new PolicyPack('firebreak', { policies });
