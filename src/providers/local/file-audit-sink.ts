import { appendFile, mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EMPTY_HEAD, checkLine, formatAnchor, sealRecord, type AuditRecord, type AuditSink, type ChainHead, type SealedEntry } from '../../core/audit.js';
import { AuditChainError } from '../../core/errors.js';

/**
 * Appends sealed records to a JSON-lines file and keeps `<file>.head` (`seq:hash`) beside it, the
 * anchor `audit verify` uses to notice truncation. Appends within one process are serialised; the
 * head is read from the file's last line, so a chain survives restarts.
 */
export class FileAuditSink implements AuditSink {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  append(record: AuditRecord): Promise<SealedEntry> {
    const next = this.queue.then(() => this.appendNow(record));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async head(): Promise<ChainHead> {
    const last = await readLastLine(this.path);
    if (last === undefined) return EMPTY_HEAD;
    const checked = checkLine(last);
    if (typeof checked === 'string') {
      throw new AuditChainError(`cannot extend ${this.path}: its last record is damaged (${checked})`, {
        hint: `Run \`firebreak audit verify ${this.path}\` and preserve the file as evidence before starting a new chain.`,
      });
    }
    return { seq: checked.seq, hash: checked.hash };
  }

  private async appendNow(record: AuditRecord): Promise<SealedEntry> {
    await mkdir(dirname(this.path), { recursive: true });
    const { entry, line } = sealRecord(await this.head(), record);
    await appendFile(this.path, `${line}\n`, 'utf8');
    // Write-then-rename: a crash mid-write must not leave a damaged anchor (which `audit verify`
    // would rightly report as tampering).
    const tmp = `${this.path}.head.${process.pid}.tmp`;
    await writeFile(tmp, `${formatAnchor({ seq: entry.seq, hash: entry.hash })}\n`, 'utf8');
    await rename(tmp, `${this.path}.head`);
    return entry;
  }
}

/** Reads the last non-empty line without loading the whole file. */
async function readLastLine(path: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return undefined;
    let chunk = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - chunk);
      const buf = Buffer.alloc(size - start);
      await handle.read(buf, 0, buf.length, start);
      const text = buf.toString('utf8').replace(/\n+$/, '');
      const nl = text.lastIndexOf('\n');
      if (nl >= 0 || start === 0) return text.slice(nl + 1) || undefined;
      chunk *= 4;
    }
  } finally {
    await handle.close();
  }
}

/** In-memory chain for tests and the drill; same sealing as the file. */
export class MemoryAuditSink implements AuditSink {
  readonly lines: string[] = [];
  readonly entries: SealedEntry[] = [];
  private headNow: ChainHead = EMPTY_HEAD;

  async append(record: AuditRecord): Promise<SealedEntry> {
    const { entry, line } = sealRecord(this.headNow, record);
    this.headNow = { seq: entry.seq, hash: entry.hash };
    this.lines.push(line);
    this.entries.push(entry);
    return entry;
  }

  get head(): ChainHead {
    return this.headNow;
  }
}

export async function readChainFile(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n');
}

/** Every record of a chain file, in order; none when the file does not exist yet. Does not verify. */
export async function readChainRecords(path: string): Promise<AuditRecord[]> {
  const lines = await readChainFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return lines.filter((l) => l.trim() !== '').map((line) => (JSON.parse(line) as SealedEntry).record);
}
