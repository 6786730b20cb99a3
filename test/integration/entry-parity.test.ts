import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capability as blockIps } from '../../src/capabilities/block-ips/capability.js';
import { runCapabilityAction } from '../../src/runtime/capability-action.js';

const blockIpsAction = () => runCapabilityAction(blockIps);
import type { AuditRecord } from '../../src/core/audit.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startIpBlockEmulators, type IpBlockEmulators } from '../../src/drill/fixtures/ip-block-kit.js';
import { canary, leaks } from '../helpers/canary.js';
import { runActionInProcess } from '../helpers/in-process-action.js';

/**
 * Issue 9's "done when": the action and the CLI behave the same on the same input, because both are
 * adapters over one run session. Each row runs block-ips once through the action shell and once
 * through the CLI against the same emulators and config, and compares exit code, status, plan, the
 * audit record (modulo actor, time and run url) and redaction.
 */
const CF = canary('Cloudflare token', 'CANARYpar1', 'cf-par/ity+Tok=en0123456789abcdef');

interface Row {
  name: string;
  config: string;
  addresses: string[];
  target?: string;
  apply?: boolean;
  overrides?: Array<[string, string]>;
  fault?: boolean;
  exit: number;
  status: AuditRecord['status'];
}

const PROTECTED = 'version: 1\nprotected_ranges:\n  - cidr: 192.0.2.0/24\n    label: office\n';
const ROWS: Row[] = [
  { name: 'valid (dry run)', config: PROTECTED, addresses: ['198.51.100.7', '2001:db8:7::/48'], exit: 0, status: 'planned' },
  { name: 'invalid address', config: PROTECTED, addresses: ['198.51.100.300'], exit: 2, status: 'refused' },
  { name: 'guard-refused (protected range)', config: PROTECTED, addresses: ['192.0.2.10'], exit: 3, status: 'refused' },
  { name: 'overridden (blast radius)', config: 'version: 1\nlimits:\n  max_changes_per_run: 1\n', addresses: ['198.51.100.8', '198.51.100.9'], overrides: [['BLAST_RADIUS', 'botnet, approved by IC']], exit: 0, status: 'planned' },
  { name: 'bad config', config: 'version: 1\nlimits:\n  max_changes_per_run: "lots"\n', addresses: ['198.51.100.10'], exit: 2, status: 'refused' },
  { name: 'provider echoes the token', config: PROTECTED, addresses: ['198.51.100.11'], target: 'cloudflare', apply: true, fault: true, exit: 6, status: 'partial' },
];

let emu: IpBlockEmulators;
let dir: string;

beforeAll(async () => {
  emu = await startIpBlockEmulators({ cloudflare: { token: CF.value } });
  dir = await mkdtemp(join(tmpdir(), 'firebreak-parity-'));
}, 120_000);
afterAll(async () => {
  await emu?.stop();
});

/** What may differ between entry points: who, when, from which run. Timestamps inside plans too. */
function comparable(record: AuditRecord): unknown {
  const { actor, time: _t, runUrl: _r, ...rest } = record;
  return JSON.parse(
    JSON.stringify(rest)
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replaceAll(` by ${actor}:`, ' by <actor>:'),
  );
}

async function onlyRecord(file: string): Promise<AuditRecord> {
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  expect(lines).toHaveLength(1);
  return (JSON.parse(lines[0]!) as { record: AuditRecord }).record;
}

describe.each(ROWS)('action and CLI agree: $name', (row) => {
  it('same exit code, status, plan, record and redaction', async () => {
    const i = ROWS.indexOf(row);
    const configFile = join(dir, `firebreak-${i}.yml`);
    await writeFile(configFile, row.config);
    emu.cf.faults.clear();
    const arm = () => {
      if (row.fault) emu.cf.faults.add({ method: 'POST', path: /\/items$/, status: 400, times: 1, body: { success: false, errors: [{ code: 10000, message: `bad token ${CF.value}` }], messages: [], result: null } });
    };
    const env = { ...emu.env, FIREBREAK_CONFIG: configFile };

    arm();
    const actionAudit = join(dir, `action-${i}.jsonl`);
    const action = await runActionInProcess(blockIpsAction, {
      env: { ...env, FIREBREAK_AUDIT_FILE: actionAudit, GITHUB_ACTOR: 'octo' },
      inputs: {
        addresses: row.addresses.join('\n'),
        reason: 'parity',
        'incident-id': 'INC-PARITY',
        target: row.target ?? 'all',
        apply: row.apply ? 'true' : 'false',
        ...(row.overrides ? { 'override-guard': row.overrides.map(([g]) => g).join(','), 'override-reason': row.overrides[0]![1] } : {}),
      },
    });

    arm();
    const cliAudit = join(dir, `cli-${i}.jsonl`);
    const io = memoryIo({ ...env, USER: 'dana' }, dir);
    const args = ['block-ips', ...row.addresses, '--reason', 'parity', '--incident', 'INC-PARITY', '--target', row.target ?? 'all', '--audit-file', cliAudit, '--json'];
    if (row.apply) args.push('--apply');
    for (const [g, r] of row.overrides ?? []) args.push('--override-guard', g, '--override-reason', r);
    const cliCode = await main(args, io);
    const cliOut = JSON.parse(io.out.join('\n')) as { ok: boolean; plan?: unknown; status?: string; error?: { code: string; message: string } };

    const [a, c] = [await onlyRecord(actionAudit), await onlyRecord(cliAudit)];
    expect(cliCode).toBe(action.result.exitCode);
    expect(c.status).toBe(a.status);
    expect(action.outputs.status).toBe(c.status);
    expect(comparable(c)).toEqual(comparable(a));
    // The plan each entry point reports is the plan it recorded.
    expect(JSON.parse(action.outputs['plan-json']!)).toEqual(a.plan);
    expect(cliOut).toMatchObject(row.exit === 0 ? { ok: true, status: c.status, plan: c.plan } : { ok: false, error: { code: c.error!.code } });
    expect(action.result.exitCode).toBe(row.exit);
    expect(a.status).toBe(row.status);
    // Same redaction: neither shows the token, and both show the echoed error the same way.
    expect(leaks({ 'action stdout': action.stdout, 'action summary': action.summary, 'CLI stdout': io.out.join('\n'), 'CLI stderr': io.err.join('\n') }, [CF])).toEqual([]);
    expect(JSON.stringify(c.error).includes('[REDACTED]')).toBe(row.fault === true);
  });
});
