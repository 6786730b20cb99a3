import { KIT_VARIABLES } from '../../core/names.js';
import type { MotoServer } from '../emulators/moto.js';
import { provisionEvidenceBucket } from '../fixtures/evidence-bucket.js';
import type { RunbookWorld } from './world.js';

/**
 * The parts of the break-glass kit every AWS fixture shares, provisioned once per drill: moto, the
 * region, and the Object-Locked evidence bucket (the ledgers of block-ips, revoke-access and the
 * edge steps live there, and preserve-evidence writes to it). Idempotent: call it from any fixture.
 */
export async function ensureAwsKit(world: RunbookWorld): Promise<{ moto: MotoServer; bucket: string }> {
  const moto = await world.aws();
  const bucket = await world.once('kit:evidence-bucket', async () => {
    const name = await provisionEvidenceBucket(moto, 'fb-runbook-evidence', 1);
    Object.assign(world.env, {
      [KIT_VARIABLES.awsRegion]: moto.region,
      [KIT_VARIABLES.evidenceBucket]: name,
      [KIT_VARIABLES.evidencePrefix]: 'incidents/',
    });
    return name;
  });
  return { moto, bucket };
}
