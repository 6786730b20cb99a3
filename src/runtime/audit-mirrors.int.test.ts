import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_FORMAT_VERSION, CompositeAuditSink, type AuditRecord } from '../core/audit.js';
import { KIT_VARIABLES } from '../core/names.js';
import { memoryLogger } from '../core/runtime.js';
import { startMoto, type MotoServer } from '../drill/emulators/moto.js';
import { provisionEvidenceBucket } from '../drill/fixtures/evidence-bucket.js';
import { MemoryAuditSink } from '../providers/local/file-audit-sink.js';
import { buildAuditMirrors } from './audit-mirrors.js';
import { buildEvidenceAuditStore } from './ports/evidence-audit.js';

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

const record: AuditRecord = {
  v: AUDIT_FORMAT_VERSION,
  time: '2026-12-02T01:00:00.000Z',
  incidentId: 'INC-3',
  actor: 'alice',
  runUrl: null,
  step: 'block-ips',
  status: 'applied',
  dryRun: false,
  input: {},
  plan: null,
  result: null,
  error: null,
};

describe('AUDIT_MIRRORS: the evidence bucket', () => {
  it('is configured by FIREBREAK_EVIDENCE_BUCKET (also via FIREBREAK_VARS in actions) and copies each record', async () => {
    const bucket = await provisionEvidenceBucket(moto);
    const env = { ...moto.env(), [KIT_VARIABLES.evidenceBucket]: bucket };
    expect((await buildAuditMirrors({ env: moto.env(), mask: () => {}, logger: memoryLogger() })).map((m) => m.name)).toEqual([]);
    const mirrors = await buildAuditMirrors({ env, mask: () => {}, logger: memoryLogger() });
    expect(mirrors.map((m) => m.name)).toEqual(['evidence-bucket']);
    const sink = new CompositeAuditSink(new MemoryAuditSink(), mirrors);
    await sink.append(record);
    const stored = await buildEvidenceAuditStore({ env, sleep: async () => {} })!.read('INC-3');
    expect(stored.lines).toHaveLength(1);
    expect(stored.anchor).toEqual({ seq: 1, hash: JSON.parse(stored.lines[0]!).hash });
  });

  it('an unreachable bucket warns with the way out and keeps the local record', async () => {
    const logger = memoryLogger();
    const env = { ...moto.env(), [KIT_VARIABLES.evidenceBucket]: 'fb-missing-bucket' };
    const local = new MemoryAuditSink();
    const sink = new CompositeAuditSink(local, await buildAuditMirrors({ env, mask: () => {}, logger }));
    await sink.append(record);
    expect(sink.failures).toEqual([]);
    expect(local.entries).toHaveLength(1);
    expect(logger.lines).toEqual([expect.stringMatching(/^warn: audit record 1 was not copied to the evidence bucket: .*firebreak audit push/)]);
  });
});
