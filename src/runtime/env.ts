/**
 * The environment variables entry points read, in one place. `src/core` never reads the
 * environment; actions, the CLI and the drill build clients from these and pass ports down.
 * Kit variables written by `pulumi up` live in `src/core/names.ts`.
 */
export const ENV = {
  /** Standard AWS SDK v3 variable: points every AWS client at one endpoint (moto in tests). */
  awsEndpoint: 'AWS_ENDPOINT_URL',
  awsRegion: 'AWS_REGION',
  /** GitHub REST base URL; set by the runner (`https://api.github.com`), or the emulator's URL. */
  githubApiUrl: 'GITHUB_API_URL',
  /** A token that may write issues, secrets and variables (a GitHub App token in production). */
  githubToken: 'FIREBREAK_GITHUB_TOKEN',
  /** Fallback token: the workflow's GITHUB_TOKEN (enough for issues, not for secrets/variables). */
  githubDefaultToken: 'GITHUB_TOKEN',
  githubRepository: 'GITHUB_REPOSITORY',
  /** Official cloudflare SDK variables. */
  cloudflareToken: 'CLOUDFLARE_API_TOKEN',
  cloudflareBaseUrl: 'CLOUDFLARE_BASE_URL',
  /** Where the CLI and actions append the audit chain when no other sink is configured. */
  auditFile: 'FIREBREAK_AUDIT_FILE',
  configFile: 'FIREBREAK_CONFIG',
  /** `${{ toJSON(vars) }}` from a workflow: the kit's variables in one value (names.ts filters it). */
  kitVarsJson: 'FIREBREAK_VARS',
  /** Print stack traces of unexpected errors in the CLI. */
  debug: 'FIREBREAK_DEBUG',
} as const;

export const DEFAULT_AUDIT_FILE = '.firebreak/audit.jsonl';

/**
 * Whether a GitHub token and repository are set: GitHub-backed mirrors are configured only then.
 * Here, not in clients.ts, so deciding costs no SDK import (actions load Octokit only when needed).
 */
export function hasGitHubAccess(env: Readonly<Record<string, string | undefined>>): boolean {
  const set = (name: string) => (env[name]?.trim() ?? '') !== '';
  return (set(ENV.githubToken) || set(ENV.githubDefaultToken)) && set(ENV.githubRepository);
}
