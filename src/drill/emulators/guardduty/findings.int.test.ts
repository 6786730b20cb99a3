import { CreateDetectorCommand, GetFindingsCommand, GuardDutyClient, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../../runtime/clients.js';
import { startMoto, type MotoServer } from '../moto.js';

let moto: MotoServer;
let gd: GuardDutyClient;
let detector: string;

beforeAll(async () => {
  moto = await startMoto();
  gd = new GuardDutyClient(awsClientConfig(moto.env()));
  detector = (await gd.send(new CreateDetectorCommand({ Enable: true }))).DetectorId!;
  moto.guardDuty.addFindings(
    detector,
    Array.from({ length: 60 }, (_, i) => ({ id: `f${String(i).padStart(3, '0')}`, type: i % 2 ? 'Recon:EC2/Portscan' : 'Backdoor:EC2/C&CActivity.B', severity: i % 9, updatedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() })),
  );
});
afterAll(async () => {
  gd?.destroy();
  await moto?.stop();
});

describe('GuardDuty findings in the moto harness', () => {
  it('lists by updatedAt with pages of at most 50, and the SDK reads the findings it names', async () => {
    const criteria = { Criterion: { updatedAt: { GreaterThanOrEqual: Date.UTC(2026, 10, 1, 0, 5), LessThan: Date.UTC(2026, 10, 1, 0, 58) } } };
    const first = await gd.send(new ListFindingsCommand({ DetectorId: detector, FindingCriteria: criteria, MaxResults: 50 }));
    expect(first.FindingIds).toHaveLength(50);
    const second = await gd.send(new ListFindingsCommand({ DetectorId: detector, FindingCriteria: criteria, MaxResults: 50, NextToken: first.NextToken! }));
    expect(second.FindingIds).toEqual(['f055', 'f056', 'f057']);
    expect(second.NextToken).toBe('');
    const got = await gd.send(new GetFindingsCommand({ DetectorId: detector, FindingIds: ['f057', 'nope'] }));
    expect(got.Findings).toHaveLength(1);
    expect(got.Findings![0]).toMatchObject({ Id: 'f057', Type: 'Recon:EC2/Portscan', Severity: 3, UpdatedAt: '2026-11-01T00:57:00.000Z', SchemaVersion: '2.0' });
    const high = await gd.send(new ListFindingsCommand({ DetectorId: detector, FindingCriteria: { Criterion: { severity: { Gte: 8 } } } }));
    expect(high.FindingIds).toEqual(['f008', 'f017', 'f026', 'f035', 'f044', 'f053']);
  });

  it('refuses what GuardDuty refuses: an unknown detector, 51 results a page, a criterion it cannot filter on', async () => {
    await expect(gd.send(new ListFindingsCommand({ DetectorId: 'a'.repeat(32) }))).rejects.toMatchObject({ name: 'BadRequestException' });
    await expect(gd.send(new ListFindingsCommand({ DetectorId: detector, MaxResults: 51 }))).rejects.toMatchObject({ name: 'BadRequestException' });
    await expect(gd.send(new ListFindingsCommand({ DetectorId: detector, FindingCriteria: { Criterion: { 'resource.instanceDetails.instanceId': { Eq: ['i-1'] } } } }))).rejects.toThrow(/does not filter on/);
  });

  it('checks request bodies against the API description: an unknown member is refused', async () => {
    const res = await fetch(`${moto.endpoint}/detector/${detector}/findings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ findingCriterion: {} }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: 'ListFindings: unknown member findingCriterion' });
  });
});
