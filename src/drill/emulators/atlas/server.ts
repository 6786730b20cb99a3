import type { GitHubSpec, SpecOperation } from '../github/spec.js';
import { loadSubset, startHttpEmulator, type RunningEmulator } from '../openapi/http-emulator.js';
import { ATLAS_SNAPSHOT_HANDLERS } from './handlers-snapshots.js';
import { ATLAS_HANDLERS, atlasAuthorise, atlasErrorBody, atlasVersionCheck, oauthToken } from './handlers.js';
import { AtlasState } from './state.js';

/**
 * A stateful, in-process MongoDB Atlas Administration API v2 (database users, project IP access list, cloud backup snapshots)
 * with the service-account OAuth token endpoint. Requests and responses are checked against the
 * committed subset of the published description (openapi-subset.json, extracted by
 * scripts/extract-provider-openapi.mjs), including the versioned Accept media type.
 */
export interface AtlasEmulator extends RunningEmulator<AtlasState> {
  /** The Atlas API URL and service-account variables (ENV.atlas*) for the rotate-secret ports. */
  env(): Record<string, string>;
}

let shared: GitHubSpec | undefined;

export async function startAtlasEmulator(opts: { clientId?: string; clientSecret?: string } = {}): Promise<AtlasEmulator> {
  shared ??= loadSubset(new URL('./openapi-subset.json', import.meta.url));
  const state = new AtlasState(opts.clientId ?? 'mdb_sa_id_emulator', opts.clientSecret ?? 'mdb_sa_sk_emulator-secret');
  // The full view the spec has of a mediaType is on the raw operation; copy it onto the compiled one.
  for (const [path, item] of Object.entries(shared.raw.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const compiled = shared.match(method, path.replace(/\{[^}]+\}/g, 'x')) as { op: SpecOperation & { mediaType?: string } } | undefined;
      const mediaType = (op as { mediaType?: string }).mediaType;
      if (compiled && mediaType) compiled.op.mediaType = mediaType;
    }
  }
  const emu = await startHttpEmulator({
    name: 'Atlas',
    spec: shared,
    prefix: '',
    state,
    handlers: { ...ATLAS_HANDLERS, ...ATLAS_SNAPSHOT_HANDLERS },
    authorise: (req, _op, s) => atlasAuthorise(req, s),
    preCheck: atlasVersionCheck,
    error: (status, message) => atlasErrorBody(status, 'UNEXPECTED_ERROR', message),
    schemaBody: (_op, _status, body) => body,
    extraRoutes: { 'POST /api/oauth/token': oauthToken },
  });
  return {
    ...emu,
    env: () => ({ FIREBREAK_ATLAS_API_URL: emu.baseUrl, FIREBREAK_ATLAS_CLIENT_ID: state.clientId, FIREBREAK_ATLAS_CLIENT_SECRET: state.clientSecret }),
  };
}
