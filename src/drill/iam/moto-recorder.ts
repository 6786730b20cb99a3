import { join } from 'node:path';

/**
 * moto_server's own request recorder (moto 5.2: `/moto-api/recorder/*`, moto/moto_api/_internal/recorder).
 * It logs every request moto receives, headers and body included, which is what an IAM check needs:
 * the signing scope names the service and region, the body or path names the operation and resource.
 * The fault proxy only keeps method, path and X-Amz-Target, which cannot tell which IP set was updated.
 *
 * moto writes the log to MOTO_RECORDER_FILEPATH (default `./moto_recording`, shared by every moto
 * started from the same directory), so give each moto its own file with `motoRecorderEnv`.
 */
export interface RecordedHttpRequest {
  method: string;
  url: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
}

export function motoRecorderEnv(dir: string): Record<string, string> {
  return { MOTO_RECORDER_FILEPATH: join(dir, 'moto-recording.jsonl') };
}

export class MotoRecorderError extends Error {
  readonly code = 'moto-recorder-failed';
  constructor(message: string) {
    super(message);
    this.name = 'MotoRecorderError';
  }
}

export interface MotoRecorder {
  /** Clears the log and starts recording: only what happens after this call is returned. */
  start(): Promise<void>;
  /** Stops recording and returns what was recorded since `start`. */
  stop(): Promise<RecordedHttpRequest[]>;
}

/** `motoUrl` is moto itself (MotoServer.directEndpoint); requests through the fault proxy reach it too. */
export function motoRecorder(motoUrl: string): MotoRecorder {
  const call = async (verb: string): Promise<string> => {
    const res = await fetch(`${motoUrl}/moto-api/recorder/${verb}`, { method: verb === 'download-recording' ? 'GET' : 'POST' });
    const text = await res.text();
    if (!res.ok) throw new MotoRecorderError(`moto recorder ${verb} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    return text;
  };
  return {
    async start() {
      await call('reset-recording');
      await call('start-recording');
    },
    async stop() {
      await call('stop-recording');
      return parseRecording(await call('download-recording'));
    },
  };
}

/** One JSON object per line, as moto's Recorder._record_request writes them. */
export function parseRecording(text: string): RecordedHttpRequest[] {
  const out: RecordedHttpRequest[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let entry: { method?: unknown; url?: unknown; headers?: unknown; body?: unknown; body_encoded?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      throw new MotoRecorderError(`moto recording line ${i + 1} is not JSON`);
    }
    if (typeof entry.method !== 'string' || typeof entry.url !== 'string') throw new MotoRecorderError(`moto recording line ${i + 1} has no method or url`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((entry.headers as Record<string, unknown> | undefined) ?? {})) headers[k.toLowerCase()] = String(v);
    const raw = typeof entry.body === 'string' ? entry.body : '';
    out.push({ method: entry.method, url: entry.url, headers, body: entry.body_encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8') });
  }
  return out;
}
