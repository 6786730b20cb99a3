/**
 * Stands in for `undici` inside the action bundles (aliased by scripts/build.mjs).
 *
 * @actions/http-client (under @actions/core) imports undici only for `ProxyAgent`, which it uses in
 * `getAgentDispatcher()` to send `fetch` through a proxy. No firebreak code path calls it: cloud
 * credentials come from aws-actions/configure-aws-credentials, not `core.getIDToken`, and our HTTP
 * goes through the providers' SDKs. Bundling undici cost 408 KB of a 1.5 MB bundle and about 50 ms
 * of every action's start-up (measured by bench/cold-start). Should a future code path reach it,
 * it fails loudly here instead of silently bypassing the proxy.
 */
export class ProxyAgent {
  constructor() {
    throw new Error(
      'undici is not bundled into firebreak actions (see src/runtime/bundle/undici-unused.ts): ' +
        '@actions/http-client tried to build a proxy dispatcher, which no firebreak step should need.',
    );
  }
}

/**
 * @actions/github (read for the incident tick's event context) imports undici's `fetch` for its
 * proxy-aware Octokit; firebreak never builds that Octokit (our clients come from @octokit/rest).
 */
export function fetch(): never {
  throw new Error('undici is not bundled into firebreak actions (see src/runtime/bundle/undici-unused.ts): @actions/github tried to fetch through undici.');
}
