import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AuditRecord } from '../../core/audit.js';
import type { AuditTrailReader } from '../../core/ports/audit-trail.js';
import type { Sleep } from '../../core/runtime.js';
import type { Env } from '../clients.js';
import { DEFAULT_AUDIT_FILE, ENV } from '../env.js';
import { buildEvidenceAuditStore } from './evidence-audit.js';

/**
 * An incident's records from everywhere this machine can read them: the evidence bucket's chain
 * (`audit/<incident>/`, written by every workflow run's mirror) and the local chain file (CLI runs,
 * and earlier steps of this same job). Lines that are not records are skipped: this reader answers
 * "what does the trail say happened", `audit verify` answers whether the trail is intact.
 */
export function buildAuditTrailReader(deps: { env: Env; sleep: Sleep; cwd?: string }): AuditTrailReader {
  const store = buildEvidenceAuditStore({ env: deps.env, sleep: deps.sleep });
  const file = resolve(deps.cwd ?? process.cwd(), deps.env[ENV.auditFile]?.trim() || DEFAULT_AUDIT_FILE);
  return {
    sources: [...(store ? [`s3://${store.bucket}/audit/`] : []), file],
    async recordsFor(incidentId: string): Promise<AuditRecord[]> {
      const out: AuditRecord[] = [];
      if (store) out.push(...(await store.records(incidentId)).map((r) => r.record));
      out.push(...(await fileRecords(file)).filter((r) => r.incidentId === incidentId));
      return out;
    },
  };
}

export async function fileRecords(path: string): Promise<AuditRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: AuditRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as { record?: AuditRecord };
      if (parsed.record && typeof parsed.record === 'object') out.push(parsed.record);
    } catch {
      // not a record: skipped here, reported by `audit verify`
    }
  }
  return out;
}
