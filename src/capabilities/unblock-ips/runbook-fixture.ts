import { formatCidr } from '../../core/ip/cidr.js';
import { parseAddresses } from '../../core/ip/parse-addresses.js';
import { blockState, CF_LIST, WAF_V4, WAF_V6, without, type BlockState } from '../../drill/runbook/edge-blocks.js';
import { ensureEdgeKit, targetsOf } from '../../drill/runbook/edge-kit.js';
import { applied, noCredentialInAudit, recall, remember } from '../../drill/runbook/fixture-support.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';

/**
 * unblock-ips: the kit's WAF IP sets and Cloudflare list (ensureEdgeKit). Applied: every address
 * given was on a target it names before the step (an unblock that had nothing to lift proves
 * nothing) and is gone from it now, and every other entry on every target is exactly where it was
 * (a /32 inside a blocked /24 does not punch a hole, a neighbour is not lifted with it).
 * Refused: nothing changed.
 */
export const unblockIpsFixture: RunbookFixture = {
  async prepare(world) {
    remember(world, 'unblock-ips', await blockState(await ensureEdgeKit(world)));
  },

  async verify(world, outcome) {
    const before = recall<BlockState>(world, 'unblock-ips')!;
    const now = await blockState(await ensureEdgeKit(world));
    const out: Expectation[] = [await noCredentialInAudit(world, 'unblock-ips')];
    if (!applied(outcome)) return [...out, checkEqual('unblock-ips refused: every block target is unchanged', now, before)];
    const targets = targetsOf(outcome.input);
    const named = [...(targets.waf ? [WAF_V4, WAF_V6] : []), ...(targets.cloudflare ? [CF_LIST] : [])];
    const lifted = parseAddresses(outcome.input.addresses).aggregated.flatMap((c) => {
      const subject = formatCidr(c);
      return named.filter((t) => t === CF_LIST || t === (c.family === 4 ? WAF_V4 : WAF_V6)).map((target) => ({ target, subject }));
    });
    for (const e of lifted) {
      out.push(check(`${e.subject} was blocked on ${e.target} before the step`, before[e.target]?.includes(e.subject) === true, `${e.target} held ${before[e.target]?.join(', ') || 'nothing'}`));
      out.push(check(`${e.subject} is gone from ${e.target}`, now[e.target]?.includes(e.subject) === false, `${e.target} holds ${now[e.target]?.join(', ')}`));
    }
    out.push(checkEqual('every other block is untouched', now, without(before, lifted)));
    if (world.incidentId) out.push(await recordedOnIssue(world, 'unblock-ips'));
    return out;
  },
};
