import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { parseConfig } from '../../core/config/parse.js';
import type { FirebreakConfig } from '../../core/config/schema.js';
import { manualClock } from '../../core/runtime.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { startGoogleChatEmulator, type GoogleChatEmulator } from '../../drill/emulators/google-chat/server.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { motoSent } from '../../drill/emulators/moto-sent.js';
import { startPagerDutyEmulator, type PagerDutyEmulator } from '../../drill/emulators/pagerduty/server.js';
import { startSlackEmulator, type SlackEmulator } from '../../drill/emulators/slack/server.js';
import { startStatuspageEmulator, type StatuspageEmulator } from '../../drill/emulators/statuspage/server.js';
import { GitHubIncidentLedger } from '../../providers/github/incident-ledger.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { githubClient } from '../../runtime/github-client.js';
import { buildDeliveryClaims, buildNotifyPorts, NOTIFY_ENDPOINT_ENV } from '../../runtime/ports/notify.js';
import type { NotifyStepPorts } from './step.js';

/**
 * Every channel notify reaches, for the integration test and the drill: GitHub (the incident
 * issue), moto (SNS SMS, SES e-mail), the Slack / PagerDuty / Google Chat / Statuspage emulators and
 * a webhook receiver that keeps what it got (headers and raw body) for independent verification.
 * The secrets are made-up canaries: a test can search every output for them.
 */
export const CANARY = {
  slackToken: 'xoxb-canary-slack-5f1e2d',
  routingKey: 'R0UTINGKEYCANARY00000000000000a1',
  rungKey: 'R0UTINGKEYCANARYRUNG000000000000b2',
  pdApiToken: 'pd-api-token-canary-77aa',
  chatKey: 'chatkeycanary123',
  chatToken: 'chattokencanary456',
  statusKey: 'statuspage-key-canary-9c9c',
  webhookSecret: 'whsec-canary-0d0d0d0d',
  phone: '+15555550123',
  email: 'oncall.alice@example.com',
} as const;

export const NOTIFY_CONFIG = `
version: 1
incident:
  severity: { scheme: SEV0-3 }
  roster:
    incident_commander: [alice]
    tech_lead: [bob]
    senior_engineer: [erin]
  escalation:
    - { after_minutes: 30, notify: senior_engineer, from: declared }
  regimes:
    custom:
      - { id: customer-notice, recipient: Key customers, within_hours: 24, when: { severities: [SEV1] }, source: "Contract §9" }
notify:
  allow_loopback_http: true
  channels:
    slack: { kind: slack }
    pager: { kind: pagerduty, api_token_env: FIREBREAK_PAGERDUTY_API_TOKEN }
    chat: { kind: google-chat }
    sms: { kind: sms }
    oncall-sms: { kind: sns-topic }
    email: { kind: email }
    status: { kind: statuspage, components: [cmpapi] }
    hook: { kind: webhook }
  roster:
    alice: { slack_id_env: ALICE_SLACK_ID, phone_env: ALICE_PHONE, email_env: ALICE_EMAIL }
    bob: { slack_id_env: BOB_SLACK_ID }
    erin: { pagerduty_routing_key_env: ERIN_PD_ROUTING_KEY, pagerduty_escalation_policy: PSENIOR1 }
  routes:
    - { events: [declared], severities: [SEV0, SEV1], channels: [slack, pager, sms, oncall-sms, email, status, chat, hook], to: [role:incident_commander, role:tech_lead] }
    - { events: [update_posted, severity_changed, resolved, closed], channels: [slack, chat, status, hook] }
    - { events: [escalation], channels: [pager, slack] }
    - { events: [resolved, closed], channels: [pager] }
`;

export interface NotifyWorld {
  clock: ReturnType<typeof manualClock>;
  gh: GitHubEmulator;
  moto: MotoServer;
  slack: SlackEmulator;
  pd: PagerDutyEmulator;
  chat: GoogleChatEmulator;
  status: StatuspageEmulator;
  webhook: { url: string; received: Array<{ headers: IncomingMessage['headers']; body: string }>; close(): Promise<void> };
  config: FirebreakConfig;
  env: Record<string, string>;
  ledger: GitHubIncidentLedger;
  ports(extraEnv?: Record<string, string>): NotifyStepPorts;
  sent(): Promise<{
    sms: Array<{ message: string; phone_number: string }>;
    email: Array<{ body: string; subject: string; destinations: { ToAddresses: string[] } }>;
    /** What was published to the on-call SMS topic (moto keeps each as [id, message, subject, …]). */
    topic: Array<{ message: string; subject: string | null }>;
    /** The topic's SMS subscribers (the on-call phone). */
    topicPhones: string[];
  }>;
  /** The on-call SMS topic notify publishes to (`kind: sns-topic`), with an SMS subscription. */
  topicArn: string;
  stop(): Promise<void>;
}

async function startWebhookReceiver(): Promise<NotifyWorld['webhook']> {
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/firebreak`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export async function startNotifyWorld(opts: { moto?: MotoServer } = {}): Promise<NotifyWorld> {
  const clock = manualClock('2026-12-02T09:00:00Z');
  const gh = await startGitHubEmulator({ now: () => clock.now() });
  const moto = opts.moto ?? (await startMoto());
  const slack = await startSlackEmulator({ token: CANARY.slackToken });
  const pd = await startPagerDutyEmulator({ routingKeys: [CANARY.routingKey, CANARY.rungKey], apiToken: CANARY.pdApiToken, oncalls: [{ policy: 'PSENIOR1', level: 1, user: 'Erin Senior' }] });
  const chat = await startGoogleChatEmulator({ key: CANARY.chatKey, token: CANARY.chatToken });
  const status = await startStatuspageEmulator({ pageId: 'pagefb01', apiKey: CANARY.statusKey, components: ['cmpapi'] });
  const webhook = await startWebhookReceiver();
  const env: Record<string, string> = {
    ...gh.env(),
    ...moto.env(),
    FIREBREAK_SLACK_BOT_TOKEN: CANARY.slackToken,
    FIREBREAK_PAGERDUTY_ROUTING_KEY: CANARY.routingKey,
    FIREBREAK_PAGERDUTY_API_TOKEN: CANARY.pdApiToken,
    FIREBREAK_GOOGLE_CHAT_WEBHOOK: chat.webhookUrl('AAAAincidents'),
    FIREBREAK_STATUSPAGE_PAGE_ID: 'pagefb01',
    FIREBREAK_STATUSPAGE_API_KEY: CANARY.statusKey,
    FIREBREAK_WEBHOOK_URL: webhook.url,
    FIREBREAK_WEBHOOK_SECRET: CANARY.webhookSecret,
    FIREBREAK_EMAIL_FROM: 'firebreak@example.com',
    // Personal data in the bundle secret, as a workflow would pass it.
    FIREBREAK_NOTIFY_SECRETS: JSON.stringify({ ALICE_PHONE: CANARY.phone, ALICE_EMAIL: CANARY.email, ALICE_SLACK_ID: 'U0ALICE01', BOB_SLACK_ID: 'U0BOB0002', ERIN_PD_ROUTING_KEY: CANARY.rungKey }),
    [NOTIFY_ENDPOINT_ENV.slack]: slack.apiUrl,
    [NOTIFY_ENDPOINT_ENV.pagerdutyEvents]: pd.url,
    [NOTIFY_ENDPOINT_ENV.pagerdutyRest]: pd.url,
    [NOTIFY_ENDPOINT_ENV.statuspage]: status.url,
  };
  await new SESv2Client(awsClientConfig(env)).send(new CreateEmailIdentityCommand({ EmailIdentity: 'firebreak@example.com' }));
  // SMS the way the kit grants it: a topic with the on-call phone subscribed (docs/capabilities/notify.md).
  const sns = new SNSClient(awsClientConfig(env));
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'firebreak-oncall-sms' }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sms', Endpoint: CANARY.phone }));
  env.FIREBREAK_SNS_TOPIC_ARN = topicArn;
  const config = parseConfig(NOTIFY_CONFIG);
  const ledger = new GitHubIncidentLedger(githubClient(gh.env()), { owner: gh.owner, repo: gh.repo, sleep: clock.sleep, clock });
  return {
    clock,
    gh,
    moto,
    slack,
    pd,
    chat,
    status,
    webhook,
    config,
    env,
    ledger,
    topicArn,
    ports(extraEnv = {}) {
      const { notify, env: resolved } = buildNotifyPorts({ env: { ...env, ...extraEnv }, sleep: clock.sleep, clock, config });
      return { ledger, config: config.incident, notify, notifyConfig: config.notify, env: resolved, claims: buildDeliveryClaims({ env, sleep: clock.sleep, clock }) };
    },
    async sent() {
      const sent = await motoSent(moto);
      const topic = sent.topics.find((t) => t.arn === topicArn);
      return {
        sms: sent.sms,
        email: sent.email,
        topic: (topic?.sent_notifications ?? []).map(([, message, subject]) => ({ message, subject })),
        topicPhones: sent.subscriptions.filter((s) => s.topic_arn === topicArn && s.protocol === 'sms').map((s) => s.endpoint),
      };
    },
    async stop() {
      await Promise.all([gh.stop(), slack.close(), pd.close(), chat.close(), status.close(), webhook.close()]);
      if (!opts.moto) await moto.stop();
    },
  };
}
