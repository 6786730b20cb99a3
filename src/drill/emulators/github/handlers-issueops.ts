import { loginId } from './builders.js';
import { HttpError, type Handler, type HandlerContext, type HandlerResult } from './handlers.js';
import type { CommentRecord } from './state.js';
import { issueOpsState, type CollaboratorRole, type ReactionRecord } from './issueops-state.js';

/**
 * What alerts and IssueOps call: repository_dispatch (recorded, so the drill can deliver it as the
 * event the alert workflow reads), a collaborator's permission, reactions on issue comments. State
 * lives beside the repository's (keyed by it) so these handlers stay in their own file. GitHub's
 * rules the spec cannot express: a user who is no collaborator has permission `none`; the same
 * reaction by the same user twice answers 200 with the existing one; `client_payload` is capped.
 */

type Obj = Record<string, unknown>;
/** GitHub's permission (`permission` has only admin/write/read/none) for a role. */
const PERMISSION: Record<CollaboratorRole | 'none', string> = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read', none: 'none' };

const ok = (body: unknown): HandlerResult => ({ status: 200, body });

function reaction(ctx: HandlerContext, r: ReactionRecord): Obj {
  return ctx.build.complete('reaction', { id: r.id, node_id: `REA_${r.id}`, content: r.content, created_at: r.createdAt, user: ctx.build.user(r.user, r.user === ctx.state.actor ? ctx.state.actorId : loginId(r.user)) });
}

function commentOr404(ctx: HandlerContext): CommentRecord {
  const c = ctx.state.comments.get(Number(ctx.params.comment_id));
  if (!c) throw new HttpError(404, 'Not Found');
  return c;
}

export const ISSUEOPS_HANDLERS: Record<string, Handler> = {
  'repos/get-collaborator-permission-level': (ctx) => {
    const login = String(ctx.params.username);
    const role = login === ctx.state.actor ? 'admin' : (issueOpsState(ctx.state).collaborators.get(login.toLowerCase()) ?? 'none');
    const user = ctx.build.user(login, login === ctx.state.actor ? ctx.state.actorId : loginId(login));
    return ok(
      ctx.build.complete('repository-collaborator-permission', {
        permission: PERMISSION[role],
        role_name: role,
        user: role === 'none' ? null : { ...user, permissions: { admin: role === 'admin', maintain: role === 'maintain' || role === 'admin', push: PERMISSION[role] !== 'read', triage: role !== 'read', pull: true }, role_name: role },
      }),
    );
  },

  'reactions/create-for-issue-comment': (ctx) => {
    const c = commentOr404(ctx);
    const content = String((ctx.body as { content: string }).content);
    const list = issueOpsState(ctx.state).reactions.get(c.id) ?? [];
    const existing = list.find((r) => r.content === content && r.user === ctx.state.actor);
    if (existing) return ok(reaction(ctx, existing));
    const r: ReactionRecord = { id: 4000000 + ctx.state.id(), content, user: ctx.state.actor, createdAt: ctx.state.now() };
    list.push(r);
    issueOpsState(ctx.state).reactions.set(c.id, list);
    return { status: 201, body: reaction(ctx, r) };
  },

  'reactions/list-for-issue-comment': (ctx) => {
    const c = commentOr404(ctx);
    const content = ctx.query.content as string | undefined;
    const list = (issueOpsState(ctx.state).reactions.get(c.id) ?? []).filter((r) => !content || r.content === content);
    return ok(list.map((r) => reaction(ctx, r)));
  },
};
