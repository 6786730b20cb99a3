import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatAnchor, parseAnchor, type ChainHead } from '../../core/audit.js';
import { AuditChainError, InputError } from '../../core/errors.js';
import { verifyAuditFile } from '../../providers/local/verify-file.js';
import { globalsOf, ioOf, printJson } from '../io.js';

/** `firebreak audit verify FILE [--head SEQ:HASH]`: prove the audit chain was not edited. */
export function register(program: Command): void {
  const audit = program.command('audit').description('inspect and verify the audit chain');
  audit
    .command('verify')
    .description('verify a hash-chained audit file; names the first record that does not chain')
    .argument('<file>', 'audit chain (JSON lines), e.g. .firebreak/audit.jsonl')
    .option('--head <seq:hash>', 'expected head, kept elsewhere (default: FILE.head when present)')
    .action(async (file: string, opts: { head?: string }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const path = resolve(io.cwd, file);
      const { anchor, source } = await anchorFor(path, file, opts.head);
      let report;
      try {
        report = await verifyAuditFile(path, { anchor });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`audit file ${file} not found`, { field: 'file' });
        throw error;
      }
      const head = formatAnchor(report.head);
      if (!report.ok) {
        const p = report.problem!;
        throw new AuditChainError(`${file}:${p.line}: record ${p.seq ?? '?'} does not chain: ${p.reason}`, {
          hint: `Records before line ${p.line} verify (${report.records} record(s), head ${head}). Preserve ${file} and ${file}.head as evidence; compare with the evidence store's copy.`,
          details: { file, line: p.line, seq: p.seq ?? null, reason: p.reason, verifiedRecords: report.records, verifiedHead: head, anchor: source },
        });
      }
      if (json) printJson(io, { ok: true, file, records: report.records, head, anchor: source });
      else {
        io.stdout(`ok ${file}: ${report.records} record(s), head ${head}`);
        io.stdout(source === 'none' ? 'no anchor: a chain cut at a record boundary cannot be detected; pass --head or keep FILE.head' : `anchored by ${source}`);
      }
    });
}

async function anchorFor(path: string, shown: string, head: string | undefined): Promise<{ anchor: ChainHead | undefined; source: string }> {
  if (head !== undefined) {
    const anchor = parseAnchor(head);
    if (!anchor) throw new InputError(`--head must be SEQ:HASH (a number, a colon, 64 lowercase hex), got "${head}"`, { field: 'head' });
    return { anchor, source: '--head' };
  }
  let text: string;
  try {
    text = await readFile(`${path}.head`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { anchor: undefined, source: 'none' };
    throw error;
  }
  const anchor = parseAnchor(text);
  if (!anchor) {
    throw new AuditChainError(`${shown}.head is not SEQ:HASH: the anchor itself was edited or damaged`, {
      hint: 'Verify against the head kept in the evidence store: `firebreak audit verify FILE --head SEQ:HASH`.',
      details: { file: `${shown}.head` },
    });
  }
  return { anchor, source: `${shown}.head` };
}
