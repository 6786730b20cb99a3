import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIndicators } from '../../core/triage/indicators.js';
import { buildReport, emptyResult, mergeInto } from '../../core/triage/report.js';
import { triageInputs } from './triage-files.js';
import { scanRange, TriageScanner, type ScanSpec } from './triage-scan.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fb-triage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const IND = parseIndicators(['ip:203.0.113.7', 'event:decoy_hit', 'user:u-42', 'correlation:req-7f3a', 'cidr:198.51.100.0/24', 'regex:admin=(true|1)', 'token:tök€n'].join('\n'));
const spec = (over: Partial<ScanSpec> = {}): ScanSpec => ({ indicators: IND, subjectField: 'user_id', source: 'test', ...over });

const LOG = [
  '{"ts":"2026-11-01T10:00:00Z","user_id":"u-1","src":"203.0.113.7","event":"login"}',
  '{"ts":"2026-11-01T10:05:00Z","user_id":"u-2","src":"203.0.113.70","event":"login"}', // 203.0.113.70 is not 203.0.113.7
  '{"ts":"2026-11-01T11:00:00Z","user_id":"u-3","event":"decoy_hit","ctx":{"req":{"id":"req-7f3a"}}}',
  '2026-11-01T12:00:00Z ERROR user_id=u-4 failed for 198.51.100.9',
  '\tat handler (app.js:10) from 203.0.113.7', // continuation of the record above
  '{"ts":"2026-11-01T13:00:00Z","user_id":"u-5","src":"203.0.113.7", broken',
  '',
  '{"ts":1761998400,"user_id":"u-6","q":"admin=true","note":"naïve ☃ tök€n"}',
  '{"ts":"2026-11-01T14:00:00Z","user_id":"u-7","who":"u-420","src":"10.203.0.113.7"}', // neither u-42 nor the address as tokens
].join('\n');

function scanAll(text: string | Buffer, s: ScanSpec, chunk?: number) {
  const sc = new TriageScanner(s);
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const step = chunk ?? buf.length;
  for (let i = 0; i < buf.length; i += step) sc.feed(buf.subarray(i, i + step));
  return sc.finish();
}

describe('triage scanner', () => {
  it('counts hits per indicator with token boundaries, continuation lines, malformed JSON, unicode and nested fields', () => {
    const r = scanAll(LOG, spec());
    const hits = Object.fromEntries(IND.map((ind, i) => [`${ind.kind}:${ind.value}`, r.perIndicator[i]!.hits]));
    expect(hits).toEqual({
      'ip:203.0.113.7': 3, // line 1, the continuation of the text record, the malformed line
      'event:decoy_hit': 1,
      'user:u-42': 0,
      'correlation:req-7f3a': 1,
      'cidr:198.51.100.0/24': 1,
      'regex:admin=(true|1)': 1,
      'token:tök€n': 1,
    });
    expect(r.records).toBe(7); // 9 lines, one blank, one continuation
    expect(r.hitRecords).toBe(5);
    expect(r.malformed).toBe(1);
    // The malformed record still names its subject as text (user_id":"u-5): nobody affected is lost.
    expect(r.subjects.sort()).toEqual(['u-1', 'u-3', 'u-4', 'u-5', 'u-6']);
    expect(r.subjectMissing).toBe(0);
    const report = buildReport(IND, mergeInto(emptyResult(IND.length), r), { inputs: 1, subjectField: 'user_id' });
    expect(report.indicators[0]).toMatchObject({ firstSeen: '2026-11-01T10:00:00.000Z', lastSeen: '2026-11-01T12:00:00.000Z', topSources: [{ source: 'test', hits: 3 }] });
    expect(report.indicators[5]!.firstSeen).toBe('2025-11-01T12:00:00.000Z'); // epoch seconds
    expect(report.affected).toMatchObject({ field: 'user_id', count: 5, missing: 0 });
  });

  it('gives the same answer for every chunking (records and matches across chunk edges)', () => {
    const whole = scanAll(LOG, spec());
    for (const chunk of [1, 2, 3, 7, 13, 64]) expect(scanAll(LOG, spec(), chunk)).toEqual(whole);
  });

  it('the DFA and Wu-Manber engines agree', () => {
    const lits = parseIndicators('ip:203.0.113.7\nuser:u-1234\ntext:tök€n\ncorrelation:req-7f3a');
    const text = `${LOG}\n{"user_id":"u-1234"}\nu-12345 203.0.113.7x\n`;
    const wm = scanAll(text, { indicators: lits, subjectField: 'user_id' }, 5);
    const dfa = scanAll(text, { indicators: lits, subjectField: 'user_id', engine: 'dfa' }, 5);
    expect(dfa).toEqual(wm);
    expect(wm.perIndicator.map((p) => p.hits)).toEqual([3, 1, 1, 1]);
  });

  it('searches a record over the size limit in pieces without parsing it, and goes on after it', () => {
    const huge = `{"user_id":"u-9","pad":"${'x'.repeat(5000)} 203.0.113.7 ${'y'.repeat(5000)}"}`;
    const text = `${huge}\n{"user_id":"u-8","src":"203.0.113.7"}\n`;
    const r = scanAll(text, spec({ maxRecordBytes: 1024 }), 700);
    expect(r.oversized).toBe(1);
    expect(r.hitRecords).toBe(2);
    expect(r.perIndicator[0]!.hits).toBe(2);
    expect(r.subjects).toEqual(['u-8']);
  });

  it('every line is a record with multiline off', () => {
    const r = scanAll(LOG, spec({ multiline: false }));
    expect(r.records).toBe(8); // the continuation line is a record of its own; the blank line is none
    expect(r.hitRecords).toBe(6);
    expect(r.perIndicator[0]!.hits).toBe(3);
  });

  it('byte ranges of a file cover every record exactly once, wherever they cut', () => {
    const file = join(dir, 'ranges.log');
    const text = Array.from({ length: 30 }, () => LOG).join('\n');
    writeFileSync(file, text);
    const whole = scanRange({ path: file, spec: spec() });
    const size = Buffer.byteLength(text);
    for (const parts of [2, 3, 5, 17]) {
      const merged = emptyResult(IND.length);
      for (let i = 0; i < parts; i++) mergeInto(merged, scanRange({ path: file, spec: spec(), start: Math.floor((size * i) / parts), end: Math.floor((size * (i + 1)) / parts), chunkSize: 97 }));
      expect({ records: merged.records, hits: merged.hitRecords, lines: merged.lines, malformed: merged.malformed, subjects: merged.subjects.size }).toEqual({
        records: whole.records,
        hits: whole.hitRecords,
        lines: whole.lines,
        malformed: whole.malformed,
        subjects: new Set(whole.subjects).size,
      });
      expect(whole.hitRecords).toBe(150);
    }
  });

  it('reads gzip and streams, and runs files on worker threads with the same result', async () => {
    const plain = join(dir, 'big.log');
    const text = Array.from({ length: 2000 }, () => LOG).join('\n');
    writeFileSync(plain, text);
    writeFileSync(join(dir, 'big.log.gz'), gzipSync(text));
    const onThread = await triageInputs([{ name: 'a', path: plain }], spec(), { workers: 1 });
    const threaded = await triageInputs([{ name: 'a', path: plain }], spec(), { workers: 2, parallelThresholdBytes: 1 });
    const gz = await triageInputs([{ name: 'a', path: join(dir, 'big.log.gz') }], spec());
    const stream = await triageInputs([{ name: 'a', open: () => Readable.from([Buffer.from(text)]) }], spec());
    expect(onThread.hitRecords).toBe(10_000);
    for (const r of [threaded, gz, stream]) {
      expect(r.hitRecords).toBe(onThread.hitRecords);
      expect(r.records).toBe(onThread.records);
      expect([...r.subjects].sort()).toEqual([...onThread.subjects].sort());
      expect(r.perIndicator).toEqual(onThread.perIndicator);
    }
  });
});

describe('indicator parsing', () => {
  it('refuses unknown kinds, empty values, bad regexes and IPv6 blocks, naming the line', () => {
    expect(() => parseIndicators('ip:1.2.3.4\nfoo:bar')).toThrow(/line 2.*kind:value/);
    expect(() => parseIndicators('user:')).toThrow(/empty value/);
    expect(() => parseIndicators('regex:(')).toThrow(/regular expression/);
    expect(() => parseIndicators('cidr:2001:db8::/32')).toThrow(/IPv6/);
    expect(() => parseIndicators('# only a comment\n')).toThrow(/no indicators/);
  });
  it('normalises CIDRs and drops duplicates', () => {
    expect(parseIndicators('cidr:10.1.2.3/8\ncidr:10.0.0.0/8\nip:1.2.3.4')).toEqual([
      { kind: 'cidr', value: '10.0.0.0/8' },
      { kind: 'ip', value: '1.2.3.4' },
    ]);
  });
});
