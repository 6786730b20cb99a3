import { AUDIT_FORMAT_VERSION, type AuditRecord } from '../../src/core/audit.js';

/** The i-th record of a sample block-ips run: distinct time and address per i; `over` changes any field. */
export function sampleRecord(i: number, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    v: AUDIT_FORMAT_VERSION,
    time: new Date(Date.UTC(2026, 11, 2, 1, 0, i)).toISOString(),
    incidentId: 'INC-1',
    actor: 'alice',
    runUrl: null,
    step: 'block-ips',
    status: 'applied',
    dryRun: false,
    input: { addresses: [`203.0.113.${i}`] },
    plan: null,
    result: { status: 'ok' },
    error: null,
    ...over,
  };
}
