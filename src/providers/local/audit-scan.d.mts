export interface RangeScan {
  /** File offset of the first line that starts in the range. */
  firstLineOffset: number;
  /** Lines (pieces between newlines) scanned before `stop`, blank ones included. */
  lines: number;
  records: number;
  /** Local index (0-based, within the range) of the first record, -1 when none. */
  firstLocal: number;
  first: { seq: number; prev: string } | null;
  /** Local index of the last non-blank line verified, -1 when none. */
  lastContentLocal: number;
  head: { seq: number; hash: string } | null;
  /** The first line the fast path could not vouch for; re-checked exactly by the caller. */
  stop: { offset: number; local: number } | null;
}

export interface ScanRequest {
  path: string;
  start?: number;
  end?: number;
  chunkSize?: number;
  /** Lines longer than this stop the scan without being buffered whole. */
  maxLineBytes?: number;
  /** A record past this head, or at its seq with another hash, stops the scan. */
  anchor?: { seq: number; hash: string } | null;
}

export function scanRange(request: ScanRequest): RangeScan;
