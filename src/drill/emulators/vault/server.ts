import { headerValue } from '../faults.js';
import { loadSubset, startHttpEmulator, type RunningEmulator } from '../openapi/http-emulator.js';
import type { GitHubSpec } from '../github/spec.js';
import { VAULT_HANDLERS, vaultAuthorise, vaultSchemaBody } from './handlers.js';
import { VaultState } from './state.js';

/**
 * A stateful, in-process Vault HTTP API (KV v2, token accessors, leases) for tests and drills.
 * Requests and responses are checked against the committed subset of Vault's published OpenAPI
 * description (openapi-subset.json, extracted by scripts/extract-provider-openapi.mjs).
 */
export interface VaultEmulator extends RunningEmulator<VaultState> {
  token: string;
  /** VAULT_ADDR and VAULT_TOKEN for the rotate-secret ports. */
  env(): Record<string, string>;
}

let shared: GitHubSpec | undefined;

export async function startVaultEmulator(opts: { token?: string; mounts?: string[]; now?: () => Date } = {}): Promise<VaultEmulator> {
  const token = opts.token ?? 'hvs.emulator-root-token';
  shared ??= loadSubset(new URL('./openapi-subset.json', import.meta.url), ['path', 'prefix']);
  const state = new VaultState(token, opts.now, opts.mounts);
  const emu = await startHttpEmulator({
    name: 'Vault',
    spec: shared,
    prefix: '/v1',
    state,
    handlers: VAULT_HANDLERS,
    authorise: (req, _op, s) => vaultAuthorise(headerValue(req, 'x-vault-token'), s),
    error: (_status, message) => ({ errors: [message] }),
    schemaBody: vaultSchemaBody,
    undescribedResponsesMayHaveBody: true,
  });
  return { ...emu, token, env: () => ({ VAULT_ADDR: emu.baseUrl, VAULT_TOKEN: token }) };
}
