import type { AuditRecord } from '../audit.js';

/**
 * The audit records of one incident, wherever they are kept (the evidence bucket's chain, the local
 * chain file). Steps read it to decide on what earlier runs did (an evidence capture on record).
 */
export interface AuditTrailReader {
  /** Where the records come from, for messages (`s3://bucket/audit/INC-…/`, a file path). */
  readonly sources: readonly string[];
  recordsFor(incidentId: string): Promise<AuditRecord[]>;
}
