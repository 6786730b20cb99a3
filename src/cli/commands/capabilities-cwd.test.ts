import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { main } from '../main.js';

/**
 * A relative path in a generated command's inputs means the command's working directory (io.cwd),
 * not the process's: the runbook drill runs the CLI in-process in its own work dir.
 */
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('generated capability commands resolve relative paths against the command cwd', () => {
  it('triage reads logs/ under io.cwd and keeps its report there', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'fb-cwd-'));
    dirs.push(cwd);
    await mkdir(join(cwd, 'logs'));
    await writeFile(join(cwd, 'logs', 'app.ndjson'), '{"event":"decoy_hit","user_id":"u-1"}\n{"event":"page_view","user_id":"u-2"}\n');
    await writeFile(join(cwd, 'indicators.txt'), 'event:decoy_hit\n');
    expect(process.cwd()).not.toBe(cwd);
    const io = memoryIo({}, cwd);
    const code = await main(['triage', '--indicators', 'indicators.txt', '--sources', 'logs/', '--subject-field', 'user_id', '--apply', '--json', '--audit-file', join(cwd, 'audit.jsonl')], io);
    const doc = JSON.parse(io.out.join('\n')) as { status?: string; result?: { outcomes: Array<{ action: string; subject: string; reason: string }> } };
    expect([code, doc.status]).toEqual([0, 'applied']);
    const keep = doc.result!.outcomes.find((o) => o.action === 'keep')!;
    expect(keep.subject.startsWith(join(cwd, '.firebreak', 'triage'))).toBe(true);
    expect(await readFile(join(keep.subject, 'subjects-user_id.txt'), 'utf8')).toBe('u-1\n');
  });
});
