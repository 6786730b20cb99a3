/**
 * One port per notification channel. Adapters live in src/providers/<provider>/; every method is
 * idempotent by the key or id it is given (or says `already`), returns the provider's id for the
 * message it sent (the audit record's delivery evidence) and throws ProviderError on failure.
 */

export interface SentMessage {
  /** The provider's id of what was sent: Slack `ts`, SNS MessageId, SES MessageId, ... */
  messageId: string;
  /** A handle later deliveries reuse: the Slack channel id, the status-page incident id. */
  thread?: string | undefined;
  outcome?: 'created' | 'already';
}

export interface SlackPort {
  /**
   * Creates `#<name>` (or reuses `existing`), invites the users, sets the topic, posts the summary
   * and pins it. Returns the channel id as `thread` and the pinned message's ts.
   */
  openIncidentChannel(args: { name: string; existing?: string | undefined; users: string[]; topic: string; title: string; parts: string[] }): Promise<SentMessage>;
  post(args: { channel: string; title: string; parts: string[] }): Promise<SentMessage>;
  archive(channel: string): Promise<SentMessage>;
}

export interface PagerDutyPort {
  event(args: { routingKey: string; action: 'trigger' | 'acknowledge' | 'resolve'; dedupKey: string; summary: string; severity: 'critical' | 'error' | 'warning' | 'info'; source: string; link?: string | undefined }): Promise<SentMessage>;
  /** Who is on call now for these escalation policies (display names), for the roster. */
  onCall(escalationPolicyIds: string[]): Promise<Array<{ policy: string; level: number; user: string }>>;
}

export interface GoogleChatPort {
  /** Posts into the space's thread for `threadKey` (created on first use). */
  post(args: { webhookUrl: string; threadKey: string; text: string; requestId: string }): Promise<SentMessage>;
}

export interface SmsPort {
  sendSms(args: { phoneNumber: string; text: string }): Promise<SentMessage>;
  publishTopic(args: { topicArn: string; subject: string; text: string; dedupId: string }): Promise<SentMessage>;
}

export interface EmailPort {
  send(args: { from: string; to: string; subject: string; text: string }): Promise<SentMessage>;
}

export interface StatusPagePort {
  /**
   * Opens the status-page incident for firebreak incident `incidentKey` (kept in its metadata), or
   * returns the unresolved one an earlier run opened for it (`already`), so a run that died after
   * opening it never leads to a second public incident.
   */
  create(args: { pageId: string; incidentKey: string; name: string; body: string; impact: 'critical' | 'major' | 'minor' | 'none'; componentIds: string[] }): Promise<SentMessage>;
  update(args: { pageId: string; incidentId: string; body: string; status: 'investigating' | 'identified' | 'monitoring' }): Promise<SentMessage>;
  resolve(args: { pageId: string; incidentId: string; body: string; componentIds: string[] }): Promise<SentMessage>;
}

export interface WebhookPort {
  /** POSTs the JSON body signed with the secret (see src/core/notify/signature.ts). */
  post(args: { url: string; secret: string; deliveryId: string; body: string }): Promise<SentMessage>;
}

export interface NotifyPorts {
  slack?: SlackPort;
  pagerduty?: PagerDutyPort;
  googleChat?: GoogleChatPort;
  sms?: SmsPort;
  email?: EmailPort;
  statuspage?: StatusPagePort;
  webhook?: WebhookPort;
}

/**
 * Who sends which delivery when notify runs race (src/core/notify/claims.ts). `claim` returns the
 * keys this run won and, for the others, which claim holds them; `settle` keeps the delivered keys
 * claimed for good and releases the rest, so a re-run sends only what failed.
 */
export interface ClaimedDeliveries {
  won: ReadonlySet<string>;
  lost: ReadonlyMap<string, string>;
  settle(delivered: readonly string[]): Promise<void>;
}

export interface DeliveryClaimsPort {
  claim(args: { issue: number; keys: readonly string[]; now: Date; leaseUntil: Date; note: string }): Promise<ClaimedDeliveries>;
}
