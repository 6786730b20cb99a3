import { beforeAll, describe, expect, it } from 'vitest';
import { KIT_VARIABLES } from '../../src/core/names.js';
import { settle, valueOf, type MockRecorder } from '../testing/mocks.js';

/** Cases for incident-environment.ts; run by components.test.ts under one set of strict mocks. */
export function incidentEnvironmentCases(mocks: MockRecorder): void {
  let mod: typeof import('./incident-environment.js');

  beforeAll(async () => {
    mod = await import('./incident-environment.js');
  });

  describe('IncidentEnvironment', () => {
    it('protects the environment with reviewers, no self-review, a branch policy and the kit variables', async () => {
      const env = new mod.IncidentEnvironment('gh', {
        repository: 'shop',
        environment: 'incident',
        reviewerUsers: ['alice', 'bob'],
        reviewerTeams: ['security'],
        deploymentBranches: ['main'],
        variables: { responderRoleArn: 'arn:aws:iam::1:role/r', awsRegion: 'eu-west-1' },
      });
      expect(await valueOf(env.environmentName)).toBe('incident');
      await settle();

      expect(mocks.named('gh').type).toBe('firebreak:github:IncidentEnvironment');
      const e = mocks.named('gh-environment');
      expect(e.type).toBe('github:index/repositoryEnvironment:RepositoryEnvironment');
      expect(e.inputs).toMatchObject({ repository: 'shop', environment: 'incident', preventSelfReview: true, canAdminsBypass: false });
      expect(e.inputs['deploymentBranchPolicy']).toEqual({ protectedBranches: false, customBranchPolicies: true });
      // Logins and slugs were resolved to numeric ids through the provider.
      expect(e.inputs['reviewers']).toEqual([{ users: [1005, 1003], teams: [508] }]);
      expect(mocks.calls.map((c) => c.token).filter((t) => t.startsWith('github:')).sort()).toEqual(['github:index/getTeam:getTeam', 'github:index/getUser:getUser', 'github:index/getUser:getUser']);

      const branch = mocks.named('gh-branch-0');
      expect(branch.inputs).toMatchObject({ repository: 'shop', environment: 'incident', branchPattern: 'main' });

      const vars = mocks.ofType('github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable');
      expect(vars.map((v) => [v.inputs['variableName'], v.inputs['value']]).sort()).toEqual([
        [KIT_VARIABLES.awsRegion, 'eu-west-1'],
        [KIT_VARIABLES.responderRoleArn, 'arn:aws:iam::1:role/r'],
      ]);
      expect(vars.every((v) => v.inputs['environment'] === 'incident' && v.inputs['repository'] === 'shop')).toBe(true);
    });

    it('can drop required reviewers (private repos without Enterprise) but keeps the branch policy', async () => {
      const env = new mod.IncidentEnvironment('priv', { repository: 'shop', environment: 'incident', requireReviewers: false, variables: {} });
      await valueOf(env.environmentName);
      await settle();
      const e = mocks.named('priv-environment');
      expect(e.inputs['reviewers']).toEqual([]);
      expect(e.inputs['preventSelfReview']).toBeUndefined();
      expect(e.inputs['canAdminsBypass']).toBe(false);
      expect(mocks.named('priv-branch-0').inputs['branchPattern']).toBe('main');
    });

    it('refuses a protected environment without reviewers, or more than GitHub allows', () => {
      expect(() => new mod.IncidentEnvironment('n1', { repository: 'shop', environment: 'incident', variables: {} })).toThrow(/at least one reviewer/);
      expect(
        () => new mod.IncidentEnvironment('n2', { repository: 'shop', environment: 'incident', reviewerUsers: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], variables: {} }),
      ).toThrow(/at most 6/);
    });
  });
}
