import { contains, formatCidr, parseCidrLoose, type Cidr } from '../../core/ip/cidr.js';
import { parseBlockComment, parseTtl } from '../../core/ip/expiry.js';
import { parseAddresses } from '../../core/ip/parse-addresses.js';
import { blockRecords, cloudflareListItems, ensureEdgeKit, targetsOf, wafIpSet } from '../../drill/runbook/edge-kit.js';
import { applied, noCredentialInAudit, recall, remember } from '../../drill/runbook/fixture-support.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';

interface Before {
  at: number;
  v4: string[];
  v6: string[];
  cf: Array<{ ip: string; comment?: string | undefined }>;
}

function covered(entries: readonly string[], c: Cidr): boolean {
  return entries.some((e) => {
    const outer = parseCidrLoose(e);
    return outer !== undefined && contains(outer, c);
  });
}

/**
 * block-ips: the kit's WAF IP sets and Cloudflare list (both ledgers in the one evidence bucket).
 * Applied: every address is covered on each target the step named, the Cloudflare item's comment
 * names the incident and an expiry `ttl` after the step, the block ledger holds the run with that
 * expiry, and a target the step did not name is untouched. Refused: nothing changed anywhere.
 */
export const blockIpsFixture: RunbookFixture = {
  async prepare(world) {
    const kit = await ensureEdgeKit(world);
    remember(world, 'block-ips', { at: world.clock.now().getTime(), v4: await wafIpSet(kit, 4), v6: await wafIpSet(kit, 6), cf: cloudflareListItems(kit) } satisfies Before);
  },

  async verify(world, outcome) {
    const kit = await ensureEdgeKit(world);
    const before = recall<Before>(world, 'block-ips')!;
    const now = { v4: await wafIpSet(kit, 4), v6: await wafIpSet(kit, 6), cf: cloudflareListItems(kit) };
    const out: Expectation[] = [await noCredentialInAudit(world, 'block-ips')];
    if (!applied(outcome)) {
      out.push(checkEqual('block-ips refused: the WAF IP sets are unchanged', [now.v4, now.v6], [before.v4, before.v6]));
      out.push(checkEqual('block-ips refused: the Cloudflare list is unchanged', now.cf, before.cf));
      return out;
    }
    const wanted = parseAddresses(outcome.input.addresses).aggregated;
    const targets = targetsOf(outcome.input);
    const ttlText = typeof outcome.input.ttl === 'string' && outcome.input.ttl.trim() ? outcome.input.ttl : ((await world.configValue(['blocking', 'default_ttl'])) as string | undefined) ?? '24h';
    const ttlMs = parseTtl(ttlText, Number.MAX_SAFE_INTEGER);
    // The step computes the expiry from the clock while it runs: between prepare and now.
    const earliest = before.at + ttlMs;
    const latest = world.clock.now().getTime() + ttlMs;
    const inWindow = (iso: string | undefined) => iso !== undefined && Date.parse(iso) >= earliest && Date.parse(iso) <= latest;

    for (const c of targets.waf ? wanted : []) {
      const set = c.family === 4 ? now.v4 : now.v6;
      out.push(check(`WAF IPv${c.family} set holds ${formatCidr(c)}`, covered(set, c), `set holds ${set.join(', ') || 'nothing'}`));
    }
    for (const c of targets.cloudflare ? wanted : []) {
      const item = now.cf.find((i) => covered([i.ip], c));
      const meta = parseBlockComment(item?.comment);
      out.push(check(`Cloudflare list holds ${formatCidr(c)}`, item !== undefined, `list holds ${now.cf.map((i) => i.ip).join(', ') || 'nothing'}`));
      out.push(
        check(
          `Cloudflare item for ${formatCidr(c)} names ${world.incidentId} and expires ${ttlText} after the block`,
          meta?.incidentId === world.incidentId && inWindow(meta?.expiresAt.toISOString()),
          `comment ${JSON.stringify(item?.comment)}`,
        ),
      );
    }
    if (!targets.waf) out.push(checkEqual('target cloudflare: the WAF IP sets are untouched', [now.v4, now.v6], [before.v4, before.v6]));
    if (!targets.cloudflare) out.push(checkEqual('target waf: the Cloudflare list is untouched', now.cf, before.cf));

    const record = (await blockRecords(world, kit)).filter((r) => r.incidentId === world.incidentId && Date.parse(r.createdAt) >= before.at).pop();
    out.push(check(`the block ledger in the kit's evidence bucket (${kit.bucket}) records this run for ${world.incidentId}`, record !== undefined, 'no ledger record for this run'));
    out.push(check(`the ledger record expires ${ttlText} after the block`, inWindow(record?.expiresAt), `expiresAt ${record?.expiresAt}`));
    out.push(
      check(
        'the ledger record lists every blocked address',
        wanted.every((c) => covered(record?.entries.map((e) => e.subject) ?? [], c)),
        `entries ${record?.entries.map((e) => `${e.target}=${e.subject}`).join(', ')}`,
      ),
    );
    return out;
  },
};
