import type { ResourceValidationPolicy } from '@pulumi/policy';
import { allowStatements, statementsOf } from './iam-document.js';

const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);
const BLOCK_FLAGS = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'] as const;

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal === 'object' && principal !== null) {
    const aws = (principal as Record<string, unknown>)['AWS'];
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  }
  return false;
}

/** No bucket is public: all four public-access blocks on, no public ACL, no unconditioned `*` grant. */
export const noPublicBucket: ResourceValidationPolicy = {
  name: 'aws-s3-bucket-no-public-access',
  description: 'S3 buckets are never public: public access blocked, no public ACLs, no policy granting everyone.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    switch (args.type) {
      case 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock':
        for (const flag of BLOCK_FLAGS) {
          if (args.props[flag] !== true) reportViolation(`public access block "${args.name}" must set ${flag}: true`);
        }
        return;
      case 'aws:s3/bucket:Bucket':
      case 'aws:s3/bucketAcl:BucketAcl': {
        const acl = args.props['acl'];
        if (typeof acl === 'string' && PUBLIC_ACLS.has(acl)) reportViolation(`bucket "${args.name}" has the public ACL "${acl}"`);
        return;
      }
      case 'aws:s3/bucketPolicy:BucketPolicy': {
        for (const { label, statement } of allowStatements(statementsOf(args.props['policy']) ?? [])) {
          if (isEveryone(statement.Principal) && statement.Condition === undefined) {
            reportViolation(`bucket policy "${args.name}" ${label} allows everyone (Principal "*") without a condition`);
          }
        }
        return;
      }
      default:
        return;
    }
  },
};
