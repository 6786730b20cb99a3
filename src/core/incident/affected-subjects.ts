import * as z from 'zod/mini';

/**
 * The affected accounts / data subjects of an incident, recorded BY REFERENCE: where the list lies
 * in the evidence store, how many entries it has and its SHA-256. The issue is read by many people
 * and kept for years; the list itself (emails, account ids, names) stays in the access-controlled,
 * object-locked evidence bucket. The schema is strict so a list cannot be pasted in its place.
 */

/** `s3://bucket/key` or a key inside the kit's evidence bucket; no `@`, so no address can ride along. */
const EVIDENCE_KEY = /^(?:s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/)?[A-Za-z0-9!_.*'()/-]{1,1024}$/;

export const affectedSubjectsSchema = z.strictObject({
  evidence_key: z.string().check(z.regex(EVIDENCE_KEY, 'must be an evidence key (s3://bucket/key or a key in the evidence bucket), never the list itself')),
  count: z.int().check(z.nonnegative()),
  sha256: z.string().check(z.regex(/^[a-f0-9]{64}$/, 'must be the SHA-256 of the list file, 64 lowercase hex digits')),
});

export type AffectedSubjectsRef = z.infer<typeof affectedSubjectsSchema>;

/** One line for the issue body and the postmortem. */
export function describeAffectedSubjects(ref: AffectedSubjectsRef): string {
  return `${ref.count} affected account(s)/subject(s): list kept as evidence \`${ref.evidence_key}\` (sha256 \`${ref.sha256.slice(0, 16)}…\`)`;
}
