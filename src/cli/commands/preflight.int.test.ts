import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../core/audit.js';
import { KIT_VARIABLES } from '../../core/names.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { memoryIo } from '../io.js';
import { main } from '../main.js';

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

describe('firebreak preflight', () => {
  it('dry-run lists the checks; --apply checks the AWS identity through the real STS client and reports missing kit variables', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-preflight-cli-'));
    const env = { ...moto.env(), USER: 'oncall', [KIT_VARIABLES.awsRegion]: 'us-east-1' };

    const dry = memoryIo(env, dir);
    expect(await main(['preflight', '--checks', 'aws'], dry)).toBe(0);
    expect(dry.out.join('\n')).toContain('aws:sts check caller-identity');
    expect(moto.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    const applied = memoryIo(env, dir);
    const code = await main(['preflight', '--apply', '--json'], applied);
    const out = JSON.parse(applied.out.join('')) as { ok: boolean; error?: { code: string }; result?: { outcomes: Array<{ subject: string; status: string }> } };
    // The responder role variable is missing: preflight must say so and fail, after checking AWS.
    expect(code).toBe(6);
    expect(moto.requests.some((r) => r.method === 'POST')).toBe(true);
    const outcomes = (out.result ?? (out.error as unknown as { result: { outcomes: Array<{ subject: string; status: string }> } }).result).outcomes;
    expect(outcomes.find((o) => o.subject === 'caller-identity')?.status).toBe('applied');
    expect(outcomes.find((o) => o.subject === KIT_VARIABLES.responderRoleArn)?.status).toBe('failed');

    const lines = (await readFile(join(dir, '.firebreak', 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(verifyChain(lines).ok).toBe(true);
  });
});
