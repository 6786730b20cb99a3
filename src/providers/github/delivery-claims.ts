import { randomUUID } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { liveClaims, ownerOf, renderClaim } from '../../core/notify/claims.js';
import type { ClaimedDeliveries, DeliveryClaimsPort } from '../../core/ports/notify.js';
import type { Clock, Sleep } from '../../core/runtime.js';
import { githubCall } from './rest-call.js';

/**
 * Delivery claims as comments on the incident issue (the protocol is src/core/notify/claims.ts):
 * post, read back, lowest comment id per key wins. Every notify run, from any entry point, reads
 * the same issue, so the hook, the button and the tick see each other's claims. A released or lost
 * claim is edited into the same `superseded` stub the ledger uses (the REST subset has no delete).
 */
export class GitHubDeliveryClaims implements DeliveryClaimsPort {
  constructor(
    private readonly octokit: Octokit,
    private readonly opts: { owner: string; repo: string; sleep: Sleep; clock?: Clock },
  ) {}

  private async comments(issue: number): Promise<Array<{ id: number; body: string }>> {
    const list = await githubCall(this.opts, 'issues.listComments', () =>
      this.octokit.paginate(this.octokit.rest.issues.listComments, { owner: this.opts.owner, repo: this.opts.repo, issue_number: issue, per_page: 100 }),
    );
    return list.map((c) => ({ id: c.id, body: c.body ?? '' }));
  }

  private edit(id: number, body: string): Promise<unknown> {
    return githubCall(this.opts, 'issues.updateComment', () => this.octokit.rest.issues.updateComment({ owner: this.opts.owner, repo: this.opts.repo, comment_id: id, body }));
  }

  private release(id: number, why: string): Promise<unknown> {
    return this.edit(id, `<!-- firebreak:superseded -->\n_Superseded: ${why}._`);
  }

  async claim(args: Parameters<DeliveryClaimsPort['claim']>[0]): Promise<ClaimedDeliveries> {
    const run = randomUUID();
    const lost = new Map<string, string>();
    const before = liveClaims(await this.comments(args.issue), args.now);
    const candidates = args.keys.filter((k) => {
      const owner = ownerOf(before, k);
      if (owner) lost.set(k, `comment ${owner.id}`);
      return !owner;
    });
    if (candidates.length === 0) return { won: new Set(), lost, settle: async () => {} };
    // Retried like any write: a retried post that landed twice is two claims of this run, and a
    // key is won by the run (not the comment) that holds the lowest claim; the copies are released.
    const created = await githubCall(this.opts, 'issues.createComment', () =>
      this.octokit.rest.issues.createComment({ owner: this.opts.owner, repo: this.opts.repo, issue_number: args.issue, body: renderClaim(run, args.leaseUntil, candidates, args.note) }),
    );
    const after = liveClaims(await this.comments(args.issue), args.now);
    // The lowest copy is this run's claim; a later copy never decides anything, so releasing it is safe.
    const ours = after.filter((c) => c.run === run);
    const mine = ours[0]?.id ?? created.data.id;
    for (const copy of ours.slice(1)) await this.release(copy.id, 'a second copy of this run\'s claim (a retried post)');
    const won = new Set<string>();
    for (const k of candidates) {
      const owner = ownerOf(after, k);
      if (owner?.run === run) won.add(k);
      else lost.set(k, `comment ${owner?.id ?? '?'}`);
    }
    // Narrow the claim to what this run won, so a key it lost is not held once its owner releases it.
    if (won.size === 0) await this.release(mine, 'a concurrent notify run claimed these deliveries first');
    else if (won.size < candidates.length) await this.edit(mine, renderClaim(run, args.leaseUntil, [...won], args.note));
    return {
      won,
      lost,
      settle: async (delivered: readonly string[]) => {
        if (won.size === 0) return;
        const kept = delivered.filter((k) => won.has(k));
        if (kept.length === 0) await this.release(mine, 'nothing was delivered; the deliveries are free for the next run');
        else await this.edit(mine, renderClaim(run, null, kept, `${args.note.split('\n')[0]} — delivered ${kept.length} of ${won.size}.`));
      },
    };
  }
}
