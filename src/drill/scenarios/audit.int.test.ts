import { describe, expect, it } from 'vitest';
import { startGitHubEmulator } from '../emulators/github/server.js';
import { startMoto } from '../emulators/moto.js';
import { runDrill } from '../runner.js';
import { auditTrailScenario } from './audit.js';

describe('drill: audit-trail', () => {
  it('leaves its records in the Object-Locked bucket and on the issue, and pull + verify agree', async () => {
    const report = await runDrill([auditTrailScenario], { starters: { aws: () => startMoto(), github: () => startGitHubEmulator() } });
    const failed = report.scenarios.flatMap((s) => s.expectations).filter((e) => !e.ok);
    expect(failed).toEqual([]);
    expect(report.scenarios[0]!.expectations.map((e) => e.name)).toEqual([
      'the entry points mirror to the issue and the evidence bucket',
      'no mirror failed',
      'audit push sends the 2 outage records to the bucket and the issue',
      're-running audit push sends nothing',
      'the bucket holds every record once, in order, with no gap or overwrite',
      'the issue holds the same records',
      "the issue's chain head is the bucket's anchor",
      'audit pull (bucket, issue) and audit verify against the bucket anchor agree',
      'verify names the bucket object as its anchor',
      'the pulled chain verifies line by line against the anchor',
      'a conditional overwrite of a record is refused (412)',
      'deleting a locked record is refused (403)',
    ]);
    expect(report.ok).toBe(true);
  });
});
