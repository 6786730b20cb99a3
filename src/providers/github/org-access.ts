import type { Octokit } from '@octokit/rest';
import type { GitHubUserSnapshot, OrgRole, TeamRole } from '../../core/access/revocation.js';
import { ProviderError } from '../../core/errors.js';
import type { GitHubOrgAccessPort } from '../../core/ports/access.js';
import { DEFAULT_RETRY_BUDGET_MS, withRetry } from '../../core/retry.js';
import { systemClock, type Clock, type Sleep } from '../../core/runtime.js';
import { toProviderError } from './incident-ledger.js';

/**
 * Organisation and team membership over @octokit/rest. Org writes need a token with the
 * organisation's `members: write` (a GitHub App installation token): the workflow's GITHUB_TOKEN
 * has no organisation permissions at all.
 */
export interface GitHubOrgAccessOptions {
  sleep: Sleep;
  clock?: Clock;
  attempts?: number;
}

export class GitHubOrgAccess implements GitHubOrgAccessPort {
  constructor(
    private readonly octokit: Octokit,
    private readonly opts: GitHubOrgAccessOptions,
  ) {}

  async tokenLogin(): Promise<string | undefined> {
    try {
      const { data } = await this.call('users.getAuthenticated', () => this.octokit.rest.users.getAuthenticated());
      return data.login;
    } catch (e) {
      // An App installation token has no user: GitHub answers 403 "Resource not accessible by integration".
      if (e instanceof ProviderError && e.status === 403 && e.code !== 'RATE_LIMITED') return undefined;
      throw e;
    }
  }

  async readUser(org: string, login: string): Promise<GitHubUserSnapshot> {
    const membership = await this.optional('orgs.getMembershipForUser', () => this.octokit.rest.orgs.getMembershipForUser({ org, username: login }));
    const outside = await this.call('orgs.listOutsideCollaborators', () => this.octokit.paginate(this.octokit.rest.orgs.listOutsideCollaborators, { org, per_page: 100 }));
    const invitations = await this.call('orgs.listPendingInvitations', () => this.octokit.paginate(this.octokit.rest.orgs.listPendingInvitations, { org, per_page: 100 }));
    const teams: GitHubUserSnapshot['teams'] = [];
    const allTeams = await this.call('teams.list', () => this.octokit.paginate(this.octokit.rest.teams.list, { org, per_page: 100 }));
    for (const t of allTeams) {
      const m = await this.optional('teams.getMembershipForUserInOrg', () => this.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: t.slug, username: login }));
      if (m) teams.push({ slug: t.slug, role: m.data.role === 'maintainer' ? 'maintainer' : 'member', state: m.data.state === 'pending' ? 'pending' : 'active' });
    }
    const lower = login.toLowerCase();
    return {
      kind: 'github-user',
      org,
      membership: membership ? { role: membership.data.role as OrgRole, state: membership.data.state === 'pending' ? 'pending' : 'active' } : undefined,
      outsideCollaborator: outside.some((u) => u.login.toLowerCase() === lower),
      teams,
      invitations: invitations.filter((i) => i.login?.toLowerCase() === lower).map((i) => ({ id: i.id, role: i.role })),
      orgTeams: allTeams.map((t) => t.slug),
    };
  }

  async owners(org: string): Promise<string[]> {
    const members = await this.call('orgs.listMembers', () => this.octokit.paginate(this.octokit.rest.orgs.listMembers, { org, role: 'admin', per_page: 100 }));
    return members.map((m) => m.login);
  }

  async removeMember(org: string, login: string): Promise<void> {
    await this.optional('orgs.removeMembershipForUser', () => this.octokit.rest.orgs.removeMembershipForUser({ org, username: login }));
  }

  async convertToOutsideCollaborator(org: string, login: string): Promise<void> {
    await this.call('orgs.convertMemberToOutsideCollaborator', () => this.octokit.rest.orgs.convertMemberToOutsideCollaborator({ org, username: login }));
  }

  async removeFromTeam(org: string, team: string, login: string): Promise<void> {
    await this.optional('teams.removeMembershipForUserInOrg', () => this.octokit.rest.teams.removeMembershipForUserInOrg({ org, team_slug: team, username: login }));
  }

  async addToTeam(org: string, team: string, login: string, role: TeamRole): Promise<void> {
    await this.call('teams.addOrUpdateMembershipForUserInOrg', () => this.octokit.rest.teams.addOrUpdateMembershipForUserInOrg({ org, team_slug: team, username: login, role }));
  }

  async setMembership(org: string, login: string, role: 'admin' | 'member'): Promise<void> {
    await this.call('orgs.setMembershipForUser', () => this.octokit.rest.orgs.setMembershipForUser({ org, username: login, role }));
  }

  async cancelInvitation(org: string, id: number): Promise<void> {
    await this.optional('orgs.cancelInvitation', () => this.octokit.rest.orgs.cancelInvitation({ org, invitation_id: id }));
  }

  /** A call whose 404 means "there is none" (a read) or "already gone" (a delete). */
  private async optional<T>(operation: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(operation, fn);
    } catch (e) {
      if (e instanceof ProviderError && e.status === 404) return undefined;
      throw e;
    }
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const clock = this.opts.clock ?? systemClock;
    return withRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw toProviderError(operation, error, clock.now());
        }
      },
      {
        attempts: this.opts.attempts ?? 4,
        baseMs: 200,
        maxMs: 5_000,
        sleep: this.opts.sleep,
        budgetMs: DEFAULT_RETRY_BUDGET_MS,
        clock,
        retryOn: (e) => e instanceof ProviderError && e.retryable,
      },
    );
  }
}
