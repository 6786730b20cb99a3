/**
 * Provider message limits and what firebreak does past them. Splitting keeps every word where the
 * medium is a conversation; refusing is for media where a cut message would mislead or cost money
 * per segment. Sources: Slack `chat.postMessage` (section text ≤ 3000, ≤ 50 blocks, `text` ≤ 40,000),
 * Google Chat message text ≤ 4096 bytes, SNS SMS ≤ 1600 characters, PagerDuty Events v2
 * `payload.summary` ≤ 1024, Statuspage incident name ≤ 255, e-mail subject ≤ 998 (RFC 5322 line).
 */
export const LIMITS = {
  slackSection: 3000,
  slackBlocks: 50,
  googleChatText: 4000,
  googleChatParts: 10,
  sms: 1600,
  pagerdutySummary: 1024,
  statuspageName: 255,
  emailSubject: 998,
  webhookBody: 256 * 1024,
} as const;

export const OVER_LIMIT_POLICY = {
  slack: 'split into sections of ≤ 3000 characters; refused past 50 sections',
  'google-chat': 'split into replies in the incident thread (≤ 4000 characters each, at most 10)',
  sms: 'refused over 1600 characters (the route should send a shorter template)',
  'sns-topic': 'refused over 1600 characters (subscribers may be phones)',
  pagerduty: 'refused when the summary (first line) is over 1024 characters',
  email: 'never split; subject refused over 998 characters',
  statuspage: 'refused when the name is over 255 characters',
  webhook: 'refused over 256 KiB',
} as const;
