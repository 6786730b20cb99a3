import type { MotoServer } from './moto.js';

/**
 * What SNS and SES "sent" in moto (SMS, topic notifications and subscriptions, e-mails), read from
 * moto's state dump: neither service has an API that lists what it delivered. The one reader of
 * that dump for the notify tests, the notify drill and the runbook drill's notify fixture.
 */
export interface MotoSent {
  sms: Array<{ message: string; phone_number: string }>;
  email: Array<{ body: string; subject: string; destinations: { ToAddresses: string[] } }>;
  topics: Array<{ arn: string; sent_notifications?: Array<[string, string, string | null]> }>;
  subscriptions: Array<{ topic_arn: string; protocol: string; endpoint: string }>;
}

export async function motoSent(moto: MotoServer): Promise<MotoSent> {
  const res = await fetch(`${moto.directEndpoint}/moto-api/data.json`);
  // moto 5.2.1 answers 500 here once some other backends hold certain resources (the evidence drill's snapshots).
  if (!res.ok) throw new Error(`moto could not list what SNS/SES sent (/moto-api/data.json answered ${res.status}); read it before creating snapshots`);
  const data = (await res.json()) as { sns?: { SMS?: MotoSent['sms']; Topic?: MotoSent['topics']; Subscription?: MotoSent['subscriptions'] }; ses?: { Message?: MotoSent['email'] } };
  return { sms: data.sns?.SMS ?? [], email: data.ses?.Message ?? [], topics: data.sns?.Topic ?? [], subscriptions: data.sns?.Subscription ?? [] };
}
