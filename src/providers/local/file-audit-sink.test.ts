import { mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_FORMAT_VERSION, EMPTY_HEAD, formatAnchor, parseAnchor, verifyChain, type AuditRecord } from '../../core/audit.js';
import { AuditChainError } from '../../core/errors.js';
import { FileAuditSink, MemoryAuditSink, readChainFile } from './file-audit-sink.js';

const rec = (i: number): AuditRecord => ({
  v: AUDIT_FORMAT_VERSION,
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  incidentId: null,
  actor: 'ci',
  runUrl: null,
  step: 's',
  status: 'applied',
  dryRun: false,
  input: { i, note: 'ünïcode ✓' },
  plan: null,
  result: null,
  error: null,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fb-sink-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('FileAuditSink', () => {
  it('creates the directory, appends chained lines and keeps FILE.head at the last record', async () => {
    const file = join(dir, 'nested', 'audit.jsonl');
    const sink = new FileAuditSink(file);
    for (let i = 1; i <= 3; i++) await sink.append(rec(i));
    const head = parseAnchor(await readFile(`${file}.head`, 'utf8'))!;
    expect(head.seq).toBe(3);
    expect(verifyChain(await readChainFile(file), head)).toMatchObject({ ok: true, records: 3 });
  });

  it('continues the chain across instances (a restart) by reading the last line', async () => {
    const file = join(dir, 'audit.jsonl');
    await new FileAuditSink(file).append(rec(1));
    const entry = await new FileAuditSink(file).append(rec(2));
    expect(entry.seq).toBe(2);
    expect(verifyChain(await readChainFile(file)).ok).toBe(true);
  });

  it('serialises concurrent appends in one process', async () => {
    const file = join(dir, 'audit.jsonl');
    const sink = new FileAuditSink(file);
    const entries = await Promise.all(Array.from({ length: 20 }, (_, i) => sink.append(rec(i))));
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(verifyChain(await readChainFile(file), await sink.head()).ok).toBe(true);
  });

  it('finds the last line beyond the first 64 KiB read', async () => {
    const file = join(dir, 'audit.jsonl');
    const sink = new FileAuditSink(file);
    const big = { ...rec(1), input: { blob: 'x'.repeat(200_000) } };
    await sink.append(big);
    await sink.append(big);
    expect((await sink.head()).seq).toBe(2);
  });

  it('refuses to extend a chain whose last record is damaged, and appends nothing', async () => {
    const file = join(dir, 'audit.jsonl');
    const sink = new FileAuditSink(file);
    await sink.append(rec(1));
    await appendFile(file, '{"seq":2,"prev":"truncat\n');
    const before = await readFile(file, 'utf8');
    await expect(sink.append(rec(2))).rejects.toBeInstanceOf(AuditChainError);
    expect(await readFile(file, 'utf8')).toBe(before);
    // The queue is not poisoned: once repaired, appends work again.
    await writeFile(file, before.split('\n')[0] + '\n');
    expect((await sink.append(rec(2))).seq).toBe(2);
  });

  it('an empty or missing file starts at the genesis head', async () => {
    const file = join(dir, 'audit.jsonl');
    expect(await new FileAuditSink(file).head()).toEqual(EMPTY_HEAD);
    await writeFile(file, '\n\n');
    expect(await new FileAuditSink(file).head()).toEqual(EMPTY_HEAD);
  });
});

describe('MemoryAuditSink', () => {
  it('seals the same lines as the file sink', async () => {
    const mem = new MemoryAuditSink();
    const file = join(dir, 'audit.jsonl');
    const sink = new FileAuditSink(file);
    for (let i = 1; i <= 3; i++) {
      await mem.append(rec(i));
      await sink.append(rec(i));
    }
    expect(`${mem.lines.join('\n')}\n`).toBe(await readFile(file, 'utf8'));
    expect(formatAnchor(mem.head)).toBe((await readFile(`${file}.head`, 'utf8')).trim());
  });
});

describe('FileAuditSink anchor', () => {
  it('writes FILE.head through a temp file it renames: no temp file is left behind', async () => {
    const { readdir } = await import('node:fs/promises');
    const file = join(dir, 'audit.jsonl');
    const sink = new FileAuditSink(file);
    for (let i = 1; i <= 3; i++) await sink.append(rec(i));
    expect((await readdir(dir)).sort()).toEqual(['audit.jsonl', 'audit.jsonl.head']);
    expect(parseAnchor(await readFile(`${file}.head`, 'utf8'))).toEqual(await sink.head());
  });
});
