import { loginId } from './builders.js';
import { HttpError, type Handler, type HandlerContext, type HandlerResult } from './handlers.js';
import type { InvitationRecord, OrgState, TeamMemberRecord, TeamRecord } from './org-state.js';

/**
 * The organisation's membership endpoints (revoke-access / restore-access), with GitHub's rules
 * that the spec cannot express: removing a member removes them from every team; removing or
 * converting the last owner is refused; DELETE of a membership that is only an invitation cancels
 * it; adding a non-member to a team makes them an invitee and the team membership pending; `GET
 * /user` with an App installation token is a 403.
 */

type Obj = Record<string, unknown>;

const ok = (body: unknown, headers?: Record<string, string>): HandlerResult => ({ status: 200, body, ...(headers ? { headers } : {}) });
const noContent = (): HandlerResult => ({ status: 204 });
const notFound = () => new HttpError(404, 'Not Found');

function org(ctx: HandlerContext): OrgState {
  if (String(ctx.params.org).toLowerCase() !== ctx.state.owner.toLowerCase()) throw notFound();
  return ctx.state.org;
}

function list<T>(ctx: HandlerContext, items: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30), 1), 100);
  const page = Math.max(Number(ctx.query.page ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const headers: Record<string, string> = {};
  if (page < last) {
    const u = new URL(ctx.url);
    u.searchParams.set('page', String(page + 1));
    u.searchParams.set('per_page', String(perPage));
    headers.link = `<${u.toString()}>; rel="next"`;
  }
  return { items: items.slice((page - 1) * perPage, page * perPage), headers };
}

function user(ctx: HandlerContext, login: string): Obj {
  return ctx.build.user(login, loginId(login));
}

function membership(ctx: HandlerContext, login: string, state: 'active' | 'pending', role: 'admin' | 'member'): Obj {
  const s = ctx.state;
  const base = ctx.url.origin;
  return ctx.build.complete('org-membership', {
    url: `${base}/orgs/${s.owner}/memberships/${encodeURIComponent(login)}`,
    state,
    role,
    organization_url: `${base}/orgs/${s.owner}`,
    organization: ctx.build.complete('organization-simple', { login: s.owner, id: s.ownerId, node_id: `O_${s.ownerId}`, url: `${base}/orgs/${s.owner}`, description: null }),
    user: user(ctx, login),
  });
}

function invitation(ctx: HandlerContext, inv: InvitationRecord): Obj {
  return ctx.build.complete('organization-invitation', {
    id: inv.id,
    login: inv.login,
    email: null,
    role: inv.role,
    created_at: inv.createdAt,
    inviter: ctx.build.actor(),
    team_count: inv.teams.length,
    node_id: `OI_${inv.id}`,
    invitation_teams_url: `${ctx.url.origin}/organizations/${ctx.state.ownerId}/invitations/${inv.id}/teams`,
  });
}

function team(ctx: HandlerContext, t: TeamRecord): Obj {
  const base = `${ctx.url.origin}/orgs/${ctx.state.owner}/teams/${t.slug}`;
  return ctx.build.complete('team', {
    id: t.id,
    node_id: `T_${t.id}`,
    name: t.name,
    slug: t.slug,
    description: null,
    privacy: 'closed',
    permission: 'pull',
    url: base,
    html_url: `${ctx.url.origin}/orgs/${ctx.state.owner}/teams/${t.slug}`,
    members_url: `${base}/members{/member}`,
    repositories_url: `${base}/repos`,
    parent: null,
    type: 'organization',
  });
}

function teamMembership(ctx: HandlerContext, t: TeamRecord, m: TeamMemberRecord): Obj {
  return { url: `${ctx.url.origin}/orgs/${ctx.state.owner}/teams/${t.slug}/memberships/${encodeURIComponent(m.login)}`, role: m.role, state: m.state };
}

function teamOr404(ctx: HandlerContext): TeamRecord {
  const t = org(ctx).teams.get(String(ctx.params.team_slug));
  if (!t) throw notFound();
  return t;
}

/** GitHub keeps an owner: the last one cannot be removed or converted. */
function refuseLastOwner(o: OrgState, login: string): void {
  const m = o.member(login);
  if (m?.role === 'admin' && o.admins().length <= 1) throw new HttpError(403, 'You cannot remove the last owner of an organization.');
}

export const ORG_HANDLERS: Record<string, Handler> = {
  'users/get-authenticated': (ctx) => {
    const login = ctx.state.org.tokenUser;
    if (!login) throw new HttpError(403, 'Resource not accessible by integration');
    return ok(ctx.build.complete('public-user', { ...user(ctx, login), name: null, company: null, blog: null, location: null, email: null, hireable: null, bio: null, public_repos: 0, public_gists: 0, followers: 0, following: 0, created_at: ctx.state.createdAt, updated_at: ctx.state.createdAt }));
  },

  'orgs/get-membership-for-user': (ctx) => {
    const o = org(ctx);
    const login = String(ctx.params.username);
    const m = o.member(login);
    if (m) return ok(membership(ctx, m.login, 'active', m.role));
    const inv = o.invitationFor(login);
    if (inv) return ok(membership(ctx, inv.login, 'pending', inv.role === 'admin' ? 'admin' : 'member'));
    throw notFound();
  },

  'orgs/set-membership-for-user': (ctx) => {
    const o = org(ctx);
    const login = String(ctx.params.username);
    const role = ((ctx.body ?? {}) as { role?: 'admin' | 'member' }).role ?? 'member';
    const m = o.member(login);
    if (m) {
      if (m.role === 'admin' && role !== 'admin') refuseLastOwner(o, login);
      m.role = role;
      return ok(membership(ctx, m.login, 'active', role));
    }
    const inv = o.invite(login, role === 'admin' ? 'admin' : 'direct_member', ctx.state.now());
    return ok(membership(ctx, inv.login, 'pending', role));
  },

  'orgs/remove-membership-for-user': (ctx) => {
    const o = org(ctx);
    const login = String(ctx.params.username);
    if (o.member(login)) {
      refuseLastOwner(o, login);
      o.removeMember(login);
      return noContent();
    }
    const inv = o.invitationFor(login);
    if (inv) {
      o.invitations.delete(inv.id);
      return noContent();
    }
    throw notFound();
  },

  'orgs/list-members': (ctx) => {
    const role = String(ctx.query.role ?? 'all');
    const all = [...org(ctx).members.values()].filter((m) => role === 'all' || m.role === role).sort((a, b) => a.login.localeCompare(b.login));
    const { items, headers } = list(ctx, all);
    return ok(items.map((m) => user(ctx, m.login)), headers);
  },

  'orgs/convert-member-to-outside-collaborator': (ctx) => {
    const o = org(ctx);
    const login = String(ctx.params.username);
    const m = o.member(login);
    if (!m) throw notFound();
    // GitHub's description of this 403 ("the last owner …") has no body.
    if (m.role === 'admin' && o.admins().length <= 1) return { status: 403 };
    o.removeMember(login);
    o.addOutsideCollaborator(m.login);
    return noContent();
  },

  'orgs/list-outside-collaborators': (ctx) => {
    const all = [...org(ctx).outsideCollaborators.values()].sort((a, b) => a.localeCompare(b));
    const { items, headers } = list(ctx, all);
    return ok(items.map((login) => user(ctx, login)), headers);
  },

  'orgs/list-pending-invitations': (ctx) => {
    const all = [...org(ctx).invitations.values()].sort((a, b) => a.id - b.id);
    const { items, headers } = list(ctx, all);
    return ok(items.map((i) => invitation(ctx, i)), headers);
  },

  'orgs/cancel-invitation': (ctx) => {
    const o = org(ctx);
    const id = Number(ctx.params.invitation_id);
    const inv = o.invitations.get(id);
    if (!inv) throw notFound();
    o.invitations.delete(id);
    for (const t of o.teams.values()) {
      const m = t.members.get(inv.login.toLowerCase());
      if (m?.state === 'pending') t.members.delete(inv.login.toLowerCase());
    }
    return noContent();
  },

  'teams/list': (ctx) => {
    const all = [...org(ctx).teams.values()].sort((a, b) => a.slug.localeCompare(b.slug));
    const { items, headers } = list(ctx, all);
    return ok(items.map((t) => team(ctx, t)), headers);
  },

  'teams/get-membership-for-user-in-org': (ctx) => {
    const t = teamOr404(ctx);
    const m = t.members.get(String(ctx.params.username).toLowerCase());
    // GitHub's description of this 404 has no body.
    if (!m) return { status: 404 };
    return ok(teamMembership(ctx, t, m));
  },

  'teams/add-or-update-membership-for-user-in-org': (ctx) => {
    const o = org(ctx);
    const t = teamOr404(ctx);
    const login = String(ctx.params.username);
    const role = ((ctx.body ?? {}) as { role?: 'member' | 'maintainer' }).role ?? 'member';
    const existing = t.members.get(login.toLowerCase());
    const member = o.member(login);
    // A non-member is invited to the organisation; the team membership waits for the acceptance.
    if (!member) o.invite(login, o.invitationFor(login)?.role ?? 'direct_member', ctx.state.now(), [t.slug]);
    const record: TeamMemberRecord = { login: member?.login ?? existing?.login ?? login, role, state: member ? 'active' : 'pending' };
    t.members.set(login.toLowerCase(), record);
    return ok(teamMembership(ctx, t, record));
  },

  'teams/remove-membership-for-user-in-org': (ctx) => {
    const t = teamOr404(ctx);
    if (!t.members.delete(String(ctx.params.username).toLowerCase())) throw notFound();
    return noContent();
  },
};
