import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The generic webhook's signature: HMAC-SHA256 with the shared secret over `<timestamp>.<body>`,
 * hex, sent as `X-Firebreak-Signature: v1=<hex>` with `X-Firebreak-Timestamp: <unix seconds>`.
 * The timestamp inside the MAC stops replays of an old body; receivers reject stale timestamps.
 */
export const SIGNATURE_HEADER = 'x-firebreak-signature';
export const TIMESTAMP_HEADER = 'x-firebreak-timestamp';
export const DELIVERY_HEADER = 'x-firebreak-delivery';

export function signBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (also in docs/capabilities/notify.md). */
export function verifySignature(secret: string, timestamp: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, Number(timestamp), body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
