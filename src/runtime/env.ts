/**
 * The environment variables entry points read, in one place. `src/core` never reads the
 * environment; actions, the CLI and the drill build clients from these and pass ports down.
 * Kit variables written by `pulumi up` live in `src/core/names.ts`.
 */
export const ENV = {
  // notify's default references (firebreak.yml may name others): secrets, then endpoints and senders.
  notifySecrets: 'FIREBREAK_NOTIFY_SECRETS',
  slackBotToken: 'FIREBREAK_SLACK_BOT_TOKEN',
  pagerdutyRoutingKey: 'FIREBREAK_PAGERDUTY_ROUTING_KEY',
  pagerdutyApiToken: 'FIREBREAK_PAGERDUTY_API_TOKEN',
  googleChatWebhook: 'FIREBREAK_GOOGLE_CHAT_WEBHOOK',
  statuspageApiKey: 'FIREBREAK_STATUSPAGE_API_KEY',
  statuspagePageId: 'FIREBREAK_STATUSPAGE_PAGE_ID',
  webhookUrl: 'FIREBREAK_WEBHOOK_URL',
  webhookSecret: 'FIREBREAK_WEBHOOK_SECRET',
  emailFrom: 'FIREBREAK_EMAIL_FROM',
  snsTopicArn: 'FIREBREAK_SNS_TOPIC_ARN',
  slackApiUrl: 'FIREBREAK_SLACK_API_URL',
  pagerdutyEventsUrl: 'FIREBREAK_PAGERDUTY_EVENTS_URL',
  pagerdutyApiUrl: 'FIREBREAK_PAGERDUTY_API_URL',
  statuspageApiUrl: 'FIREBREAK_STATUSPAGE_API_URL',
  /** Where the drill and the integration tests keep their project-local moto (default .firebreak/moto-venv). */
  motoVenv: 'FIREBREAK_MOTO_VENV',
  /** `1`: never install moto automatically; say the command instead. */
  noMotoInstall: 'FIREBREAK_NO_MOTO_INSTALL',
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
  /**
   * A kit secret (never a variable or an input): the key of rotate-secret's keyed fingerprints.
   * Whoever holds it can test guesses against records, so it is masked like a credential.
   */
  fingerprintKey: 'FIREBREAK_FINGERPRINT_KEY',
  /** HashiCorp Vault's own CLI variables: address, token, Enterprise namespace. */
  vaultAddr: 'VAULT_ADDR',
  vaultToken: 'VAULT_TOKEN',
  vaultNamespace: 'VAULT_NAMESPACE',
  /** MongoDB Atlas service account (OAuth client credentials); the API URL only for the emulator. */
  atlasApiUrl: 'FIREBREAK_ATLAS_API_URL',
  atlasClientId: 'FIREBREAK_ATLAS_CLIENT_ID',
  atlasClientSecret: 'FIREBREAK_ATLAS_CLIENT_SECRET',
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

/**
 * Environment variables that hold credentials, whatever the entry point: every one is registered
 * with the run's redactor (and an action's log mask) before the first request, because a provider
 * may echo the credential it received in an error body. A new client that reads a credential from
 * the environment adds its variable here.
 */
export const SECRET_ENV = [
  ENV.githubToken,
  ENV.githubDefaultToken,
  ENV.cloudflareToken,
  // The SDK also reads these two when the token is absent; pinned off in clients.ts, masked anyway.
  'CLOUDFLARE_API_KEY',
  'CLOUDFLARE_API_USER_SERVICE_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  ENV.fingerprintKey,
  ENV.vaultToken,
  ENV.atlasClientSecret,
  // Argo CD's CLI variable; rollback's Argo CD token.
  'ARGOCD_AUTH_TOKEN',
  // configure-aws-credentials and SSO sessions export these names too.
  'AWS_SECURITY_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  // notify's default reference names (a renamed one is masked by notify's own ports factory).
  'FIREBREAK_NOTIFY_SECRETS',
  'FIREBREAK_SLACK_BOT_TOKEN',
  'FIREBREAK_PAGERDUTY_ROUTING_KEY',
  'FIREBREAK_PAGERDUTY_API_TOKEN',
  'FIREBREAK_GOOGLE_CHAT_WEBHOOK',
  'FIREBREAK_STATUSPAGE_API_KEY',
  'FIREBREAK_WEBHOOK_URL',
  'FIREBREAK_WEBHOOK_SECRET',
] as const;

/** Registers every credential in `env` (and, through the redactor, its encoded forms) with `mask`. */
export function registerCredentials(env: Readonly<Record<string, string | undefined>>, mask: (value: string | undefined) => void): void {
  for (const name of SECRET_ENV) mask(env[name]);
}
