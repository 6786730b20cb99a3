import { describe, expect, it } from 'vitest';
import { sampleRecord } from '../../../test/helpers/audit-records.js';
import type { AuditRecord } from '../audit.js';
import { findEvidenceCapture } from './evidence-capture.js';

const INC = 'INC-20261202-x';
const rec = (over: Partial<AuditRecord>, outcomes: unknown[]): AuditRecord => ({ ...sampleRecord(1, { incidentId: INC }), step: 'preserve-evidence', dryRun: false, status: 'applied', ...over, result: { status: 'ok', outcomes } });
const cap = (target: string, action = 'capture', status = 'applied') => ({ target, action, subject: 'x', status });

describe('an evidence capture on record', () => {
  it('counts an applied or already capture, snapshot or preserve outcome naming the resource (scope ignored), in this incident', () => {
    for (const o of [cap('aws:instance:i-1'), cap('aws:instance:i-1@123456789012/eu-west-1', 'snapshot', 'already'), cap('i-1', 'preserve')]) {
      expect(findEvidenceCapture([rec({}, [o])], INC, ['aws:instance:i-1', 'i-1'])).toMatchObject({ step: 'preserve-evidence', action: o.action });
    }
  });

  it('does not count another incident, a dry run, a failed or skipped capture, another action or another resource', () => {
    const names = ['aws:instance:i-1', 'i-1'];
    expect(findEvidenceCapture([rec({ incidentId: 'INC-other' }, [cap('i-1')])], INC, names)).toBeUndefined();
    expect(findEvidenceCapture([rec({ dryRun: true }, [cap('i-1')])], INC, names)).toBeUndefined();
    expect(findEvidenceCapture([rec({}, [cap('i-1', 'capture', 'failed'), cap('i-1', 'snapshot', 'skipped')])], INC, names)).toBeUndefined();
    expect(findEvidenceCapture([rec({}, [cap('i-1', 'quarantine')])], INC, names)).toBeUndefined();
    expect(findEvidenceCapture([rec({}, [cap('aws:instance:i-10'), cap('i-10')])], INC, names)).toBeUndefined();
    expect(findEvidenceCapture([{ ...rec({}, []), result: null }], INC, names)).toBeUndefined();
  });
});
