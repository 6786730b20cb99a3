import { createHash } from 'node:crypto';
import { HttpError, type Handler, type HandlerContext } from './handlers.js';
import type { CommitRecord, FileRecord } from './state.js';

/**
 * Git data for rollback: read a commit (its tree), write a commit with a given tree and parents,
 * and move a branch (non-force by default). The emulator keeps files per commit and no tree
 * objects of its own: a tree is named by a hash of its files, and a tree sha is "known" when some
 * commit has it (GitHub's "Tree SHA does not exist" otherwise). Branch protection is
 * `state.protectedBranches`: an update of such a branch through the API is refused as GitHub does
 * when a rule requires pull requests (422 "Protected branch update failed").
 */

type Obj = Record<string, unknown>;

export function treeSha(files: Map<string, FileRecord>): string {
  const h = createHash('sha1').update('tree\0');
  for (const [path, f] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(`${path}\0${f.sha}\n`);
  return h.digest('hex');
}

function filesOfTree(ctx: HandlerContext, sha: string): Map<string, FileRecord> | undefined {
  for (const c of ctx.state.commits.values()) if (treeSha(c.files) === sha) return c.files;
  return undefined;
}

function api(ctx: HandlerContext): string {
  return `${ctx.url.origin}/repos/${ctx.state.owner}/${ctx.state.repo}`;
}

function commitBody(ctx: HandlerContext, c: CommitRecord): Obj {
  const base = api(ctx);
  const html = `${ctx.url.origin}/${ctx.state.owner}/${ctx.state.repo}`;
  const person = { name: ctx.state.actor, email: `${ctx.state.actorId}+${ctx.state.actor}@users.noreply.github.com`, date: c.date };
  return {
    sha: c.sha,
    node_id: `C_${Buffer.from(c.sha).toString('base64url').slice(0, 20)}`,
    url: `${base}/git/commits/${c.sha}`,
    html_url: `${html}/commit/${c.sha}`,
    author: person,
    committer: person,
    message: c.message,
    tree: { sha: treeSha(c.files), url: `${base}/git/trees/${treeSha(c.files)}` },
    parents: c.parents.map((p) => ({ sha: p, url: `${base}/git/commits/${p}`, html_url: `${html}/commit/${p}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

/** Whether `ancestor` is reachable from `sha` through parents. */
function descendsFrom(ctx: HandlerContext, sha: string, ancestor: string): boolean {
  const seen = new Set<string>();
  const queue = [sha];
  while (queue.length > 0) {
    const s = queue.pop()!;
    if (s === ancestor) return true;
    if (seen.has(s)) continue;
    seen.add(s);
    queue.push(...(ctx.state.commits.get(s)?.parents ?? []));
  }
  return false;
}

export const GIT_HANDLERS: Record<string, Handler> = {
  'git/get-commit': (ctx) => {
    const c = ctx.state.commits.get(String(ctx.params.commit_sha));
    if (!c) throw new HttpError(404, 'Not Found');
    return { status: 200, body: commitBody(ctx, c) };
  },
  'git/create-commit': (ctx) => {
    const b = (ctx.body ?? {}) as { message: string; tree: string; parents?: string[] };
    const files = filesOfTree(ctx, b.tree);
    if (!files) throw new HttpError(422, 'Tree SHA does not exist');
    for (const p of b.parents ?? []) if (!ctx.state.commits.has(p)) throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
    const sha = ctx.state.addCommit(b.message, b.parents ?? [], new Map(files));
    return { status: 201, body: commitBody(ctx, ctx.state.commits.get(sha)!), headers: { location: `${api(ctx)}/git/commits/${sha}` } };
  },
  'git/update-ref': (ctx) => {
    const ref = `refs/${String(ctx.params.ref).replace(/^refs\//, '')}`;
    const b = (ctx.body ?? {}) as { sha: string; force?: boolean };
    const current = ctx.state.refs.get(ref);
    if (!current) throw new HttpError(422, 'Reference does not exist');
    if (!ctx.state.commits.has(b.sha)) throw new HttpError(422, 'Object does not exist');
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
    if (branch !== undefined && ctx.state.protectedBranches.has(branch)) throw new HttpError(422, `Protected branch update failed for ${ref}.`);
    if (!b.force && !descendsFrom(ctx, b.sha, current)) throw new HttpError(422, 'Update is not a fast forward');
    ctx.state.refs.set(ref, b.sha);
    return {
      status: 200,
      body: { ref, node_id: `REF_${Buffer.from(ref).toString('base64url')}`, url: `${api(ctx)}/git/${ref}`, object: { type: 'commit', sha: b.sha, url: `${api(ctx)}/git/commits/${b.sha}` } },
    };
  },
};
