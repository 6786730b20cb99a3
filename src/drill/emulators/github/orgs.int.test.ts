import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { githubClient } from '../../../runtime/github-client.js';
import { startGitHubEmulator, type GitHubEmulator } from './server.js';

/** The organisation endpoints of the emulator (handlers-orgs.ts), through @octokit/rest. */
let gh: GitHubEmulator;
const octokit = () => githubClient(gh.env());
const status = (p: Promise<unknown>) => p.then(() => 'ok', (e: { status?: number }) => e.status);

beforeAll(async () => {
  gh = await startGitHubEmulator({ owner: 'acme' });
});
afterAll(async () => {
  await gh?.stop();
});
beforeEach(() => {
  gh.reset();
  const org = gh.state.org;
  org.addMember('owner1', 'admin');
  org.addMember('dev', 'member');
  org.addTeam('core', [{ login: 'dev', role: 'maintainer' }]);
});

describe('GitHub emulator: organisation membership', () => {
  it('lists members by role, and answers membership for members, invitees and strangers', async () => {
    const o = octokit();
    expect((await o.rest.orgs.listMembers({ org: 'acme', role: 'admin' })).data.map((u) => u.login)).toEqual(['owner1']);
    expect((await o.rest.orgs.listMembers({ org: 'acme' })).data.map((u) => u.login)).toEqual(['dev', 'owner1']);
    expect((await o.rest.orgs.getMembershipForUser({ org: 'acme', username: 'DEV' })).data).toMatchObject({ state: 'active', role: 'member' });
    await o.rest.orgs.setMembershipForUser({ org: 'acme', username: 'newbie', role: 'admin' });
    expect((await o.rest.orgs.getMembershipForUser({ org: 'acme', username: 'newbie' })).data).toMatchObject({ state: 'pending', role: 'admin' });
    expect((await o.rest.orgs.listPendingInvitations({ org: 'acme' })).data.map((i) => [i.login, i.role])).toEqual([['newbie', 'admin']]);
    expect(await status(o.rest.orgs.getMembershipForUser({ org: 'acme', username: 'stranger' }))).toBe(404);
    expect(await status(o.rest.orgs.listMembers({ org: 'other-org' }))).toBe(404);
    gh.assertNoViolations();
  });

  it('removing a member removes their team memberships; the last owner can be neither removed nor converted', async () => {
    const o = octokit();
    await o.rest.orgs.removeMembershipForUser({ org: 'acme', username: 'dev' });
    expect(await status(o.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'core', username: 'dev' }))).toBe(404);
    expect(await status(o.rest.orgs.removeMembershipForUser({ org: 'acme', username: 'owner1' }))).toBe(403);
    expect(await status(o.rest.orgs.convertMemberToOutsideCollaborator({ org: 'acme', username: 'owner1' }))).toBe(403);
    expect(gh.state.org.member('owner1')?.role).toBe('admin');
    gh.assertNoViolations();
  });

  it('DELETE of an invitee membership cancels the invitation; a team add for a non-member is pending until they accept', async () => {
    const o = octokit();
    const inv = gh.state.org.invite('guest', 'direct_member', gh.state.now());
    await o.rest.orgs.removeMembershipForUser({ org: 'acme', username: 'guest' });
    expect(gh.state.org.invitations.has(inv.id)).toBe(false);
    const added = await o.rest.teams.addOrUpdateMembershipForUserInOrg({ org: 'acme', team_slug: 'core', username: 'guest', role: 'member' });
    expect(added.data.state).toBe('pending');
    expect(gh.state.org.invitationFor('guest')?.teams).toEqual(['core']);
    gh.state.org.accept('guest');
    expect((await o.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'core', username: 'guest' })).data.state).toBe('active');
    gh.assertNoViolations();
  });

  it("converting a member keeps them as an outside collaborator; GET /user is a 403 for an App token and the user's login otherwise", async () => {
    const o = octokit();
    await o.rest.orgs.convertMemberToOutsideCollaborator({ org: 'acme', username: 'dev' });
    expect((await o.rest.orgs.listOutsideCollaborators({ org: 'acme' })).data.map((u) => u.login)).toEqual(['dev']);
    expect(await status(o.rest.users.getAuthenticated())).toBe(403);
    gh.state.org.tokenUser = 'owner1';
    expect((await o.rest.users.getAuthenticated()).data.login).toBe('owner1');
    const inv = gh.state.org.invite('x', 'direct_member', gh.state.now());
    await o.rest.orgs.cancelInvitation({ org: 'acme', invitation_id: inv.id });
    expect(await status(o.rest.orgs.cancelInvitation({ org: 'acme', invitation_id: inv.id }))).toBe(404);
    gh.assertNoViolations();
  });
});
