import type { LedgerRecord } from '../../core/ip/ledger.js';
import { blockState, without, type BlockState } from '../../drill/runbook/edge-blocks.js';
import { blockRecords, ensureEdgeKit } from '../../drill/runbook/edge-kit.js';
import { applied, noCredentialInAudit, recall, remember } from '../../drill/runbook/fixture-support.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';

interface Before {
  state: BlockState;
  records: LedgerRecord[];
}

/**
 * sweep-expired: the block ledger in the kit's evidence bucket and the kit's block targets. The
 * runbook puts the sweep where a block has expired (its `after:` passes the block's ttl), so the
 * ledger must have held at least one expired record. Applied: every expired record is closed (gone
 * from the live ledger), each entry it named that no live record still holds is gone from its
 * target, and everything else on every target is exactly where it was (a live block is not swept).
 */
export const sweepExpiredFixture: RunbookFixture = {
  async prepare(world) {
    const kit = await ensureEdgeKit(world);
    remember(world, 'sweep-expired', { state: await blockState(kit), records: await blockRecords(world, kit) } satisfies Before);
  },

  async verify(world, outcome) {
    const kit = await ensureEdgeKit(world);
    const before = recall<Before>(world, 'sweep-expired')!;
    const now = { state: await blockState(kit), records: await blockRecords(world, kit) };
    const out: Expectation[] = [await noCredentialInAudit(world, 'sweep-expired')];
    if (!applied(outcome)) return [...out, checkEqual('sweep-expired refused: every block target is unchanged', now.state, before.state)];
    const at = world.clock.now().getTime();
    const expired = before.records.filter((r) => Date.parse(r.expiresAt) <= at);
    const live = before.records.filter((r) => Date.parse(r.expiresAt) > at);
    out.push(check('a block had expired when the sweep ran', expired.length > 0, `${before.records.length} record(s), none expired at ${world.clock.now().toISOString()}: give the step an \`after:\` past a block's ttl`));
    const ids = new Set(now.records.map((r) => r.id));
    for (const r of expired) out.push(check(`expired block record ${r.id} (${r.entries.map((e) => e.subject).join(', ')}) is closed`, !ids.has(r.id)));
    out.push(check('every live block record is kept', live.every((r) => ids.has(r.id)), `live: ${live.map((r) => r.id).join(', ')}; now: ${[...ids].join(', ')}`));
    const held = new Set(live.flatMap((r) => r.entries.map((e) => `${e.target} ${e.subject}`)));
    const removable = expired.flatMap((r) => r.entries).filter((e) => !held.has(`${e.target} ${e.subject}`));
    out.push(checkEqual('the targets hold exactly what they held, less the expired blocks', now.state, without(before.state, removable)));
    return out;
  },
};
