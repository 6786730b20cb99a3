/**
 * Delivery claims: how two notify runs for the same incident (the lifecycle hook after a step and
 * the notify button, or two racing ticks) agree on who sends each delivery, on channels with no
 * provider-side dedup key (Slack posts, Google Chat, SNS, SES, Statuspage, webhooks).
 *
 * A run that is about to send posts ONE claim comment on the incident issue listing its delivery
 * keys, then reads the claims back: for each key the live claim with the lowest comment id wins
 * (GitHub comment ids only grow). After sending, the winner settles its claim: the keys it
 * delivered stay claimed for good, the ones that failed are released, so a re-run sends exactly
 * those. A claim that is never settled (the runner died) lapses at its lease end.
 *
 *     <!-- firebreak:notify-claim run=<run id> until=<ISO time> -->     (open, leased)
 *     <!-- firebreak:notify-claim run=<run id> done -->                 (settled: delivered keys)
 *     ```json firebreak-notify-claim
 *     ["<delivery key>", …]
 *     ```
 *
 * Pure: the GitHub adapter (src/providers/github/delivery-claims.ts) reads and writes the comments.
 */

export interface ClaimComment {
  id: number;
  run: string;
  /** Lease end; `null` once settled (the keys were delivered and stay claimed). */
  until: Date | null;
  keys: string[];
}

const MARKER = /<!-- firebreak:notify-claim run=([\w-]+) (?:until=(\S+)|(done)) -->/;
const FENCE = /```json firebreak-notify-claim\n(\[.*\])\n```/;

export function renderClaim(run: string, until: Date | null, keys: readonly string[], note: string): string {
  return [`<!-- firebreak:notify-claim run=${run} ${until ? `until=${until.toISOString()}` : 'done'} -->`, note, '```json firebreak-notify-claim', JSON.stringify(keys), '```'].join('\n');
}

export function parseClaim(id: number, body: string): ClaimComment | undefined {
  const m = MARKER.exec(body);
  const f = FENCE.exec(body);
  if (!m || !f) return undefined;
  let keys: unknown;
  try {
    keys = JSON.parse(f[1]!);
  } catch {
    return undefined;
  }
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) return undefined;
  const until = m[3] ? null : new Date(m[2]!);
  if (until && Number.isNaN(until.getTime())) return undefined;
  return { id, run: m[1]!, until, keys };
}

/** Settled claims, and open ones whose lease has not ended, oldest comment first. */
export function liveClaims(comments: ReadonlyArray<{ id: number; body: string }>, now: Date): ClaimComment[] {
  return comments
    .map((c) => parseClaim(c.id, c.body))
    .filter((c): c is ClaimComment => !!c && (c.until === null || c.until.getTime() > now.getTime()))
    .sort((a, b) => a.id - b.id);
}

/** The claim that owns `key`: the live claim with the lowest comment id that lists it. */
export function ownerOf(claims: readonly ClaimComment[], key: string): ClaimComment | undefined {
  return claims.find((c) => c.keys.includes(key));
}
