import type { Readable } from 'node:stream';
import type { EvidenceWindow } from '../../core/evidence/manifest.js';
import type { Indicator } from '../../core/triage/indicators.js';
import type { EvidenceStorePort } from '../preserve-evidence/ports.js';

/** Runs the indicators as a query where the logs still are; yields one JSON line per row. */
export interface LogsQueryPort {
  query(group: string, window: EvidenceWindow, indicators: readonly Indicator[], progress: (message: string) => void): AsyncIterable<string>;
}

export interface TriagePorts {
  /** Where relative paths resolve. */
  cwd: string;
  evidence?: { store: EvidenceStorePort & { open(key: string): Promise<Readable> }; prefix: string } | undefined;
  insights?: LogsQueryPort | undefined;
  /** Worker threads (default: the cores, at most 4). */
  workers?: number | undefined;
}
