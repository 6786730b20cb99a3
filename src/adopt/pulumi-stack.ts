import { stringify } from 'yaml';

export interface StackAnswers {
  repository: string;
  awsRegion: string;
  reviewers: string[];
  source: { repository: string; sha: string };
}

/**
 * Pulumi.<stack>.yaml for the kit with what init can infer: the repository the OIDC trust pins,
 * the reviewers of the protected environment, the region, and the reusable-workflow pin the roles
 * trust. Everything else keeps the kit's defaults (infra/Pulumi.example.yaml documents them).
 */
export function renderStackConfig(a: StackAnswers): string {
  const [owner] = a.repository.split('/');
  const config = {
    config: {
      'aws:region': a.awsRegion,
      'github:owner': owner,
      'firebreak:github': {
        repository: a.repository,
        environment: 'incident',
        incidentEnvironment: 'firebreak-incident',
        reviewers: a.reviewers,
        requireReviewers: true,
        branches: ['main'],
        reusableWorkflow: `${a.source.repository}/.github/workflows/reusable-*.yml@${a.source.sha}`,
      },
    },
  };
  return [
    '# The kit for this repository: written by `firebreak init`. Secrets are set with',
    '#   pulumi config set github:token --secret   (and cloudflare:apiToken when you use Cloudflare)',
    '# then `pulumi up` from firebreak\'s infra/ with this file as the stack config.',
    stringify(config, { lineWidth: 0 }).trimEnd(),
    '',
  ].join('\n');
}
