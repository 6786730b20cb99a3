import type { Clock, Sleep } from '../../core/runtime.js';
import { githubRepository, type Env } from '../../runtime/clients.js';
import { githubClient } from '../../runtime/github-client.js';
import { GitHubDeployControls } from './github-deploy-controls.js';

/** The repository in GITHUB_REPOSITORY, with the App token (FIREBREAK_GITHUB_TOKEN) when set. */
export function buildDeployControls(env: Env, deps: { sleep: Sleep; clock: Clock }): GitHubDeployControls {
  return new GitHubDeployControls(githubClient(env), githubRepository(env), { sleep: deps.sleep, clock: deps.clock });
}
