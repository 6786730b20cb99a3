import type { ResourceValidationPolicy } from '@pulumi/policy';

/** GitHub's repository_dispatch, on github.com or a GitHub Enterprise Server (`/api/v3`). */
const DISPATCH = /^https:\/\/(api\.github\.com|[A-Za-z0-9.-]+\/api\/v3)\/repos\/([A-Za-z0-9-]+\/[A-Za-z0-9._-]+)\/dispatches$/;
const TOKEN_SHAPED = /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/;

/**
 * An EventBridge API destination that reaches GitHub calls exactly one thing: POST
 * repository_dispatch of one repository (the stack's, when the pack is given `repository`). A
 * connection keeps its token in the API key (stored by EventBridge in Secrets Manager), never in a
 * plain header or query parameter.
 */
export const githubDispatchOnly: ResourceValidationPolicy = {
  name: 'aws-events-github-dispatch-only',
  description: 'API destinations to GitHub only POST repository_dispatch of the configured repository; connections keep the token secret.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const repository = (args.getConfig<{ repository?: string }>() ?? {}).repository;
    if (args.type === 'aws:cloudwatch/eventApiDestination:EventApiDestination') {
      const endpoint = String(args.props['invocationEndpoint'] ?? '');
      if (!/github/i.test(endpoint) && !endpoint.includes('/dispatches')) return;
      const m = DISPATCH.exec(endpoint);
      if (!m) reportViolation(`API destination "${args.name}" calls ${JSON.stringify(endpoint)}; only https://…/repos/OWNER/REPO/dispatches is allowed`);
      else if (repository !== undefined && m[2]!.toLowerCase() !== repository.toLowerCase()) reportViolation(`API destination "${args.name}" dispatches to ${m[2]}, not this stack's repository ${repository}`);
      if (args.props['httpMethod'] !== 'POST') reportViolation(`API destination "${args.name}" uses ${JSON.stringify(args.props['httpMethod'])}; repository_dispatch is POST only`);
      return;
    }
    if (args.type === 'aws:cloudwatch/eventConnection:EventConnection') {
      const auth = (args.props['authParameters'] ?? {}) as Record<string, any>;
      const invocation = auth['invocationHttpParameters'] ?? {};
      for (const kind of ['headers', 'queryStrings', 'bodies'] as const) {
        for (const p of (invocation[kind] ?? []) as Array<{ key?: string; value?: string; isValueSecret?: boolean }>) {
          if (p.isValueSecret) continue;
          if (/^authorization$/i.test(p.key ?? '') || TOKEN_SHAPED.test(p.value ?? '')) {
            reportViolation(`connection "${args.name}" sends ${kind.slice(0, -1)} ${JSON.stringify(p.key)} as a plain value; a token belongs in the API key (kept in Secrets Manager)`);
          }
        }
      }
    }
  },
};
