export interface ScanSpec {
  indicators: ReadonlyArray<{ kind: string; value: string }>;
  /** Dotted path of the field naming the affected subject (user_id, patient.id); in text: `field=value`. */
  subjectField?: string | undefined;
  /** Dotted path of the field counted as the hit's source (default: the input's name). */
  sourceField?: string | undefined;
  /** Dotted path of the record's time (default: timestamp, time, @timestamp, ts, eventTime, date). */
  timeField?: string | undefined;
  /** Name of the input, the source when sourceField is absent or missing. */
  source?: string | undefined;
  /** false: every line is a record (no continuation lines). */
  multiline?: boolean | undefined;
  maxRecordBytes?: number | undefined;
  /** Literal engine: Wu-Manber when every literal is 4+ bytes (default), or the Aho-Corasick DFA. */
  engine?: 'auto' | 'dfa' | undefined;
}

export interface IndicatorTally {
  hits: number;
  /** Epoch ms of the earliest and latest hit with a readable time. */
  first: number | null;
  last: number | null;
  sources: Record<string, number>;
}

export interface ScanResult {
  bytes: number;
  lines: number;
  records: number;
  hitRecords: number;
  /** Hit records that looked like JSON and did not parse. */
  malformed: number;
  /** Records longer than maxRecordBytes: searched, not parsed. */
  oversized: number;
  perIndicator: IndicatorTally[];
  subjects: string[];
  /** Hit records without the subject field. */
  subjectMissing: number;
}

export class TriageScanner {
  constructor(spec: ScanSpec);
  feed(chunk: Buffer): void;
  finish(): ScanResult;
}

export interface ScanRangeRequest {
  path: string;
  spec: ScanSpec;
  start?: number;
  end?: number;
  chunkSize?: number;
}

export function scanRange(request: ScanRangeRequest): ScanResult;
export function compileLiterals(patterns: Uint8Array[]): { table: Uint16Array | Uint32Array; out: number[][]; firstAccepting: number };
export function pick(obj: unknown, path: string[]): unknown;
