import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import type { FirebreakConfig } from '../../core/config/schema.js';
import type { NotifyConfig } from '../../core/config/sections/notify.js';
import { InputError } from '../../core/errors.js';
import type { NotifyPorts } from '../../core/ports/notify.js';
import type { Clock, Sleep } from '../../core/runtime.js';
import { SesEmailer, SnsNotifier } from '../../providers/aws/sns-ses-notify.js';
import { GoogleChatWebhook } from '../../providers/google-chat/webhook.js';
import { PagerDutyClient } from '../../providers/pagerduty/pagerduty.js';
import { SlackNotifier } from '../../providers/slack/slack.js';
import { StatuspageClient } from '../../providers/statuspage/statuspage.js';
import { SignedWebhook } from '../../providers/webhook/signed-webhook.js';
import { awsClientConfig, githubRepository, type Env } from '../clients.js';
import { GitHubDeliveryClaims } from '../../providers/github/delivery-claims.js';
import { githubClient } from '../github-client.js';
import { ENV } from '../env.js';

/**
 * The notify channels' clients, built only for channels firebreak.yml defines. References (the
 * names in `notify:`) resolve against the environment, then against FIREBREAK_NOTIFY_SECRETS — one
 * secret holding `{"ALICE_PHONE": "+15550100", ...}` so a generated workflow need not list every
 * person's secret. Every value a reference resolves to is masked before any client is built.
 * Endpoint overrides (the drill's emulators) come from FIREBREAK_*_API_URL variables.
 */
export const NOTIFY_SECRETS_ENV = 'FIREBREAK_NOTIFY_SECRETS';
export const NOTIFY_ENDPOINT_ENV = {
  slack: 'FIREBREAK_SLACK_API_URL',
  pagerdutyEvents: 'FIREBREAK_PAGERDUTY_EVENTS_URL',
  pagerdutyRest: 'FIREBREAK_PAGERDUTY_API_URL',
  statuspage: 'FIREBREAK_STATUSPAGE_API_URL',
} as const;

export function notifyEnv(env: Env): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  const bundle = env[NOTIFY_SECRETS_ENV]?.trim();
  if (!bundle) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bundle);
  } catch {
    throw new InputError(`${NOTIFY_SECRETS_ENV} is not JSON: store it as {"NAME": "value", ...}`, { field: NOTIFY_SECRETS_ENV });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError(`${NOTIFY_SECRETS_ENV} must be a JSON object of names to values`, { field: NOTIFY_SECRETS_ENV });
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string' && /^[A-Z][A-Z0-9_]*$/.test(k) && !out[k]?.trim()) out[k] = v;
  return out;
}

/** Every env name the config references: their values are secrets or personal data. */
export function referencedNames(config: NotifyConfig): string[] {
  const names = new Set<string>();
  for (const ch of Object.values(config.channels)) for (const [k, v] of Object.entries(ch)) if (k.endsWith('_env') && typeof v === 'string') names.add(v);
  for (const p of Object.values(config.roster)) for (const [k, v] of Object.entries(p)) if (k.endsWith('_env') && typeof v === 'string') names.add(v);
  return [...names];
}

export function buildNotifyPorts(deps: { env: Env; sleep: Sleep; clock?: Clock; config: FirebreakConfig; mask?: ((v: string | undefined) => void) | undefined }): { notify: NotifyPorts; env: Record<string, string | undefined> } {
  const env = notifyEnv(deps.env);
  const cfg = deps.config.notify;
  // Masked first: the whole bundle, then each value, before a client can echo one in an error.
  deps.mask?.(deps.env[NOTIFY_SECRETS_ENV]);
  for (const name of referencedNames(cfg)) deps.mask?.(env[name]);
  const http = { sleep: deps.sleep, ...(deps.clock ? { clock: deps.clock } : {}) };
  const kinds = new Set(Object.values(cfg.channels).map((c) => c.kind));
  const notify: NotifyPorts = {};
  for (const ch of Object.values(cfg.channels)) {
    if (ch.kind === 'slack' && !notify.slack && env[ch.token_env]) {
      notify.slack = new SlackNotifier({ token: env[ch.token_env]!, ...(env[NOTIFY_ENDPOINT_ENV.slack] ? { apiUrl: env[NOTIFY_ENDPOINT_ENV.slack]! } : {}), ...http });
    }
    if (ch.kind === 'pagerduty' && !notify.pagerduty) {
      notify.pagerduty = new PagerDutyClient({
        ...http,
        apiToken: ch.api_token_env ? env[ch.api_token_env] : undefined,
        ...(env[NOTIFY_ENDPOINT_ENV.pagerdutyEvents] ? { eventsUrl: env[NOTIFY_ENDPOINT_ENV.pagerdutyEvents]! } : {}),
        ...(env[NOTIFY_ENDPOINT_ENV.pagerdutyRest] ? { restUrl: env[NOTIFY_ENDPOINT_ENV.pagerdutyRest]! } : {}),
      });
    }
    if (ch.kind === 'statuspage' && !notify.statuspage && env[ch.api_key_env]) {
      notify.statuspage = new StatuspageClient({ ...http, apiKey: env[ch.api_key_env]!, ...(env[NOTIFY_ENDPOINT_ENV.statuspage] ? { baseUrl: env[NOTIFY_ENDPOINT_ENV.statuspage]! } : {}) });
    }
  }
  if (kinds.has('google-chat')) notify.googleChat = new GoogleChatWebhook(http);
  if (kinds.has('webhook')) notify.webhook = new SignedWebhook(http);
  if (kinds.has('sms') || kinds.has('sns-topic')) notify.sms = new SnsNotifier(new SNSClient(awsClientConfig(env)), http);
  if (kinds.has('email')) notify.email = new SesEmailer(new SESv2Client(awsClientConfig(env)), http);
  return { notify, env };
}

/** Delivery claims on the incident issue, in the repository the incident ledger uses. */
export function buildDeliveryClaims(deps: { env: Env; sleep: Sleep; clock?: Clock; config?: FirebreakConfig }): GitHubDeliveryClaims {
  const repoEnv = deps.env[ENV.githubRepository]?.trim() ? deps.env : { ...deps.env, [ENV.githubRepository]: deps.config?.project.repository };
  const { owner, repo } = githubRepository(repoEnv);
  return new GitHubDeliveryClaims(githubClient(deps.env), { owner, repo, sleep: deps.sleep, ...(deps.clock ? { clock: deps.clock } : {}) });
}
