import {
  CreateIPSetCommand,
  GetIPSetCommand,
  ListIPSetsCommand,
  UpdateIPSetCommand,
  WAFInvalidParameterException,
  WAFLimitsExceededException,
  WAFOptimisticLockException,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { wafLockConflict } from './faults.js';
import { startMoto, type MotoServer } from './moto.js';

function wafClient(moto: MotoServer, endpoint = moto.endpoint): WAFV2Client {
  return new WAFV2Client({
    region: moto.region,
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('moto harness', () => {
  let moto: MotoServer;
  let waf: WAFV2Client;

  beforeAll(async () => {
    moto = await startMoto();
    waf = wafClient(moto);
  });
  afterAll(async () => {
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
  });

  it('exposes env for child processes and SDK config', () => {
    const env = moto.env();
    expect(env.AWS_ENDPOINT_URL).toBe(moto.endpoint);
    expect(env.AWS_REGION).toBe('us-east-1');
    expect(env.AWS_ACCESS_KEY_ID).toBeTruthy();
    expect(env.AWS_SECRET_ACCESS_KEY).toBeTruthy();
    expect(moto.endpoint).not.toBe(moto.directEndpoint);
  });

  it('lets a real WAFv2 client create, read, update and list an IP set under lock tokens', async () => {
    const created = await waf.send(
      new CreateIPSetCommand({ Name: 'fb-blocklist', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: ['203.0.113.0/24'] }),
    );
    const id = created.Summary?.Id;
    expect(id).toBeTruthy();
    const got = await waf.send(new GetIPSetCommand({ Name: 'fb-blocklist', Scope: 'REGIONAL', Id: id }));
    expect(got.IPSet?.Addresses).toEqual(['203.0.113.0/24']);
    expect(got.LockToken).toBeTruthy();

    const updated = await waf.send(
      new UpdateIPSetCommand({
        Name: 'fb-blocklist',
        Scope: 'REGIONAL',
        Id: id,
        LockToken: got.LockToken,
        Addresses: ['203.0.113.0/24', '198.51.100.7/32'],
      }),
    );
    expect(updated.NextLockToken).toBeTruthy();
    expect(updated.NextLockToken).not.toBe(got.LockToken);

    // A stale token is refused by moto itself: the optimistic lock is real, not only scripted.
    await expect(
      waf.send(new UpdateIPSetCommand({ Name: 'fb-blocklist', Scope: 'REGIONAL', Id: id, LockToken: got.LockToken, Addresses: [] })),
    ).rejects.toBeInstanceOf(WAFOptimisticLockException);

    const after = await waf.send(new GetIPSetCommand({ Name: 'fb-blocklist', Scope: 'REGIONAL', Id: id }));
    expect(after.IPSet?.Addresses?.sort()).toEqual(['198.51.100.7/32', '203.0.113.0/24']);
    const listed = await waf.send(new ListIPSetsCommand({ Scope: 'REGIONAL' }));
    expect(listed.IPSets?.map((s) => s.Name)).toEqual(['fb-blocklist']);
    expect(moto.requests.map((r) => r.target?.split('.').pop())).toContain('UpdateIPSet');
  });

  it('delivers an injected lock conflict to the SDK as WAFOptimisticLockException and leaves state alone', async () => {
    const created = await waf.send(
      new CreateIPSetCommand({ Name: 'fb-lock', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: ['192.0.2.1/32'] }),
    );
    const got = await waf.send(new GetIPSetCommand({ Name: 'fb-lock', Scope: 'REGIONAL', Id: created.Summary?.Id }));
    moto.faults.add(wafLockConflict());
    const update = new UpdateIPSetCommand({
      Name: 'fb-lock',
      Scope: 'REGIONAL',
      Id: created.Summary?.Id,
      LockToken: got.LockToken,
      Addresses: ['192.0.2.1/32', '192.0.2.2/32'],
    });
    await expect(waf.send(update)).rejects.toBeInstanceOf(WAFOptimisticLockException);
    expect(moto.faults.pending()).toEqual([]);
    expect(moto.requests.at(-1)).toMatchObject({ status: 400, faulted: true });
    const unchanged = await waf.send(new GetIPSetCommand({ Name: 'fb-lock', Scope: 'REGIONAL', Id: created.Summary?.Id }));
    expect(unchanged.IPSet?.Addresses).toEqual(['192.0.2.1/32']);
    // The fault was used once; the same token now succeeds.
    await expect(waf.send(update)).resolves.toMatchObject({ NextLockToken: expect.any(String) });
  });

  it('refuses in the proxy what AWS refuses and moto accepts, and passes the bytes through otherwise', async () => {
    const tooMany = Array.from({ length: 10_001 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}/32`);
    await expect(
      waf.send(new CreateIPSetCommand({ Name: 'fb-big', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: tooMany })),
    ).rejects.toBeInstanceOf(WAFLimitsExceededException);
    await expect(
      waf.send(new CreateIPSetCommand({ Name: 'fb-zero', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: ['0.0.0.0/0'] })),
    ).rejects.toBeInstanceOf(WAFInvalidParameterException);
    expect((await waf.send(new ListIPSetsCommand({ Scope: 'REGIONAL' }))).IPSets ?? []).toEqual([]);
    // At the limit, the buffered request reaches moto intact.
    const created = await waf.send(
      new CreateIPSetCommand({ Name: 'fb-full', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: tooMany.slice(0, 10_000) }),
    );
    const got = await waf.send(new GetIPSetCommand({ Name: 'fb-full', Scope: 'REGIONAL', Id: created.Summary?.Id }));
    expect(got.IPSet?.Addresses).toHaveLength(10_000);
  });

  it('reset drops every resource, the fault script and the request log', async () => {
    await waf.send(new CreateIPSetCommand({ Name: 'fb-gone', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: [] }));
    moto.faults.add({ status: 500, times: Infinity });
    await moto.reset();
    expect(moto.faults.pending()).toEqual([]);
    expect(moto.requests).toEqual([]);
    const listed = await waf.send(new ListIPSetsCommand({ Scope: 'REGIONAL' }));
    expect(listed.IPSets ?? []).toEqual([]);
  });

  it('the direct endpoint bypasses faults and the request log', async () => {
    moto.faults.add({ status: 503, times: Infinity });
    const direct = wafClient(moto, moto.directEndpoint);
    await expect(direct.send(new ListIPSetsCommand({ Scope: 'REGIONAL' }))).resolves.toBeDefined();
    expect(moto.requests).toEqual([]);
    moto.faults.clear();
  });
});

describe('moto lifecycle', () => {
  it('stop kills the moto process and closes the proxy; stop twice is harmless', async () => {
    const moto = await startMoto({ region: 'eu-west-1' });
    expect(moto.region).toBe('eu-west-1');
    expect(processExists(moto.pid)).toBe(true);
    await moto.stop();
    expect(processExists(moto.pid)).toBe(false);
    await expect(fetch(`${moto.endpoint}/`)).rejects.toThrow();
    await moto.stop();
  });

  it('explains how to install moto when the binary is missing', async () => {
    await expect(startMoto({ command: 'firebreak-no-such-moto-server' })).rejects.toThrow(/firebreak-no-such-moto-server not found on PATH[\s\S]*pip install 'moto\[server\]==5\.2\.1'/);
  });
});
