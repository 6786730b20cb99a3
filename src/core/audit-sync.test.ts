import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_HEAD, sealRecord, type AuditRecord, type SealedEntry } from './audit.js';
import { assessListing, incidentOf, planPush, recordIdentity, sameContent, staysLocal } from './audit-sync.js';
import { canonicalJson } from './canonical-json.js';
import { sampleRecord } from '../../test/helpers/audit-records.js';

const record = (i: number, over: Partial<AuditRecord> = {}): AuditRecord => sampleRecord(i, { plan: { changes: [i] }, ...over });

function chain(records: AuditRecord[]): SealedEntry[] {
  let head = EMPTY_HEAD;
  return records.map((r) => {
    const { entry } = sealRecord(head, r);
    head = { seq: entry.seq, hash: entry.hash };
    return entry;
  });
}

describe('planPush', () => {
  it('sends what is missing, once, in local order; skips what is there; re-planning after a push sends nothing', () => {
    const local = chain([record(1), record(2), record(3)]);
    // The remote chain is sealed on its own head: other seqs and hashes, same records.
    const remote = chain([record(2)]).map((e) => ({ record: e.record, where: `remote ${e.seq}` }));
    const plan = planPush(local, remote);
    expect(plan.send.map((e) => e.seq)).toEqual([1, 3]);
    expect(plan.already.map((e) => e.seq)).toEqual([2]);
    expect(plan.conflicts).toEqual([]);
    const after = [...remote, ...plan.send.map((e) => ({ record: e.record, where: 'pushed' }))];
    expect(planPush(local, after).send).toEqual([]);
  });

  it('a run already stored with other content is a conflict, not a second record', () => {
    const local = chain([record(1), record(2)]);
    const remote = [{ record: { ...record(2), status: 'failed' as const }, where: 's3://b/audit/INC-1/000000000001.json' }];
    const plan = planPush(local, remote);
    expect(plan.conflicts).toEqual([{ seq: 2, identity: recordIdentity(record(2)), where: 's3://b/audit/INC-1/000000000001.json' }]);
    expect(plan.send.map((e) => e.seq)).toEqual([1]);
  });

  it('the same run twice in one local file is sent once', () => {
    const local = chain([record(1), record(1)]);
    expect(planPush(local, []).send.map((e) => e.seq)).toEqual([1]);
  });
});

describe('sameContent', () => {
  it("accepts the issue's digest of a plan too large for a comment, only when the digest matches", () => {
    const local = record(1, { plan: { changes: Array.from({ length: 3 }, (_, i) => i) } });
    const digest = (v: unknown) => ({ omitted: 'too large', sha256: createHash('sha256').update(canonicalJson(v)).digest('hex') });
    expect(sameContent(local, { ...local, plan: digest(local.plan) })).toBe(true);
    expect(sameContent(local, { ...local, plan: digest({ changes: [9] }) })).toBe(false);
    expect(sameContent(local, { ...local, plan: digest(local.plan), status: 'failed' })).toBe(false);
    expect(sameContent(local, { ...local, result: { status: 'partial' } })).toBe(false);
  });
});

describe('assessListing', () => {
  it('names gaps, overwrites, delete markers and strays precisely', () => {
    const findings = assessListing(
      [
        { seq: 1, key: 'audit/I/000000000001.json', versions: ['v1'], deleted: false },
        { seq: 2, key: 'audit/I/000000000002.json', versions: ['v1', 'v2'], deleted: false },
        { seq: 5, key: 'audit/I/000000000005.json', versions: ['v1'], deleted: true },
      ],
      ['audit/I/notes.txt'],
    );
    expect(findings.map((f) => [f.kind, 'seq' in f ? f.seq : f.key])).toEqual([
      ['overwritten', 2],
      ['missing', 3],
      ['missing', 4],
      ['deleted', 5],
      ['stray', 'audit/I/notes.txt'],
    ]);
    expect(assessListing([{ seq: 2, key: 'k', versions: ['v'], deleted: false }]).map((f) => f.kind)).toEqual(['missing']);
  });
});

describe('which records leave the runner', () => {
  it('keeps idle ticks local and finds the incident of a declare from its plan', () => {
    expect(staysLocal(record(1, { step: 'incident-tick', status: 'noop' }))).toBe(true);
    expect(staysLocal(record(1, { step: 'incident-tick', status: 'applied' }))).toBe(false);
    expect(incidentOf(record(1, { step: 'declare', incidentId: null, plan: { meta: { incident: { id: 'INC-9' } } } }))).toBe('INC-9');
    expect(incidentOf(record(1, { step: 'preflight', incidentId: null, plan: { meta: { incident: { id: 'INC-9' } } } }))).toBeUndefined();
  });
});
