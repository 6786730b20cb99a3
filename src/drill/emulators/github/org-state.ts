/**
 * The emulated organisation (the repository owner): members with their role, outside
 * collaborators, pending invitations and teams. Tests seed it with the helpers below and read it to
 * assert on outcomes; handlers-orgs.ts serves it with GitHub's rules.
 */

export type OrgMemberRole = 'admin' | 'member';
/** Invitation roles as GitHub reports them. */
export type InvitationRole = 'admin' | 'direct_member' | 'billing_manager' | 'hiring_manager' | 'reinstate';

export interface OrgMemberRecord {
  login: string;
  role: OrgMemberRole;
}

export interface InvitationRecord {
  id: number;
  login: string;
  role: InvitationRole;
  createdAt: string;
  /** Teams the invitee joins on accepting (slugs). */
  teams: string[];
}

export interface TeamMemberRecord {
  login: string;
  role: 'member' | 'maintainer';
  state: 'active' | 'pending';
}

export interface TeamRecord {
  id: number;
  name: string;
  slug: string;
  members: Map<string, TeamMemberRecord>;
}

const key = (login: string) => login.toLowerCase();

export class OrgState {
  members = new Map<string, OrgMemberRecord>();
  outsideCollaborators = new Map<string, string>();
  invitations = new Map<number, InvitationRecord>();
  teams = new Map<string, TeamRecord>();
  /**
   * The user the token belongs to (what `GET /user` answers). Undefined: the token is an App
   * installation token, and `GET /user` answers 403 as GitHub does.
   */
  tokenUser: string | undefined;
  private nextId = 1;

  reset(): void {
    this.members.clear();
    this.outsideCollaborators.clear();
    this.invitations.clear();
    this.teams.clear();
    this.tokenUser = undefined;
    this.nextId = 1;
  }

  id(): number {
    return 900000 + this.nextId++;
  }

  member(login: string): OrgMemberRecord | undefined {
    return this.members.get(key(login));
  }

  addMember(login: string, role: OrgMemberRole = 'member'): void {
    this.members.set(key(login), { login, role });
    this.outsideCollaborators.delete(key(login));
  }

  addOutsideCollaborator(login: string): void {
    this.outsideCollaborators.set(key(login), login);
  }

  invite(login: string, role: InvitationRole, at: string, teams: string[] = []): InvitationRecord {
    const existing = this.invitationFor(login);
    if (existing) {
      existing.role = role;
      for (const t of teams) if (!existing.teams.includes(t)) existing.teams.push(t);
      return existing;
    }
    const inv: InvitationRecord = { id: this.id(), login, role, createdAt: at, teams: [...teams] };
    this.invitations.set(inv.id, inv);
    return inv;
  }

  invitationFor(login: string): InvitationRecord | undefined {
    return [...this.invitations.values()].find((i) => key(i.login) === key(login));
  }

  /** The invitee accepts: becomes a member, joins the invited teams (test helper). */
  accept(login: string): void {
    const inv = this.invitationFor(login);
    if (!inv) throw new Error(`no invitation for ${login}`);
    this.invitations.delete(inv.id);
    this.addMember(inv.login, inv.role === 'admin' ? 'admin' : 'member');
    for (const t of this.teams.values()) {
      const m = t.members.get(key(login));
      if (m) m.state = 'active';
    }
  }

  addTeam(slug: string, members: Array<{ login: string; role?: 'member' | 'maintainer' }> = []): TeamRecord {
    const team: TeamRecord = { id: this.id(), name: slug, slug, members: new Map() };
    for (const m of members) team.members.set(key(m.login), { login: m.login, role: m.role ?? 'member', state: this.member(m.login) ? 'active' : 'pending' });
    this.teams.set(slug, team);
    return team;
  }

  /** Removes a login from the organisation: membership and every team, as GitHub does. */
  removeMember(login: string): void {
    this.members.delete(key(login));
    for (const t of this.teams.values()) t.members.delete(key(login));
  }

  admins(): OrgMemberRecord[] {
    return [...this.members.values()].filter((m) => m.role === 'admin');
  }
}
