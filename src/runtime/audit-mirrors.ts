import type { AuditMirror } from '../core/audit.js';
import { FirebreakError } from '../core/errors.js';
import { readKitVariables } from '../core/names.js';
import { realSleep, type Logger } from '../core/runtime.js';
import { hasGitHubAccess } from './env.js';

/**
 * Where entry points copy each sealed audit entry besides the chain file. Each destination adds ONE
 * factory line to AUDIT_MIRRORS (the incident issue, the evidence bucket…); the action shell and
 * the CLI pick them up without change. A factory returns undefined when its destination is not
 * configured in this environment, so an unconfigured mirror is skipped rather than failing.
 */
export interface AuditMirrorDeps {
  env: Readonly<Record<string, string | undefined>>;
  /** Registers a derived secret (e.g. a token a factory mints) with the log mask and redactor. */
  mask(value: string | undefined | null): void;
  logger: Logger;
}

export type AuditMirrorFactory = (deps: AuditMirrorDeps) => AuditMirror | undefined | Promise<AuditMirror | undefined>;

export const AUDIT_MIRRORS: AuditMirrorFactory[] = [
  async (d) => {
    // Loaded only where a token and repository are set: Octokit and the incident ledger are a
    // fifth of an action bundle, and actions without GitHub access should not pay to start them.
    if (!hasGitHubAccess(d.env)) return undefined;
    const { incidentIssueMirror } = await import('./ports/incident.js');
    return incidentIssueMirror({ env: d.env, sleep: realSleep, warn: (m) => d.logger.warn(m) });
  },
  async (d) => {
    // The kit's evidence bucket (Object Lock): one object per record under audit/<incident>/.
    if (!readKitVariables(d.env).evidenceBucket) return undefined;
    const [{ buildEvidenceAuditStore }, { EvidenceBucketAuditMirror }] = await Promise.all([
      import('./ports/evidence-audit.js'),
      import('../providers/aws/evidence-audit-store.js'),
    ]);
    const store = buildEvidenceAuditStore({ env: d.env, sleep: realSleep });
    // A failure only warns: the chain file and the run's artifact hold the record, `audit push`
    // copies it later, and an unreachable bucket must not fail a containment that worked.
    return store ? new EvidenceBucketAuditMirror(store, (m) => d.logger.warn(m)) : undefined;
  },
];

export async function buildAuditMirrors(deps: AuditMirrorDeps, factories: readonly AuditMirrorFactory[] = AUDIT_MIRRORS): Promise<AuditMirror[]> {
  const out: AuditMirror[] = [];
  for (const make of factories) {
    const mirror = await make(deps);
    if (mirror) out.push(mirror);
  }
  return out;
}

/** The record was sealed in the chain file but a copy did not reach a mirror. */
export class AuditMirrorError extends FirebreakError {
  readonly code = 'AUDIT_MIRROR_FAILED';
  readonly exit = 'audit' as const;
}
