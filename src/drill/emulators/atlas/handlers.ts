import type { IncomingMessage } from 'node:http';
import type { SpecOperation } from '../github/spec.js';
import { EmulatorHttpError, type HandlerInput, type HandlerOutput } from '../openapi/http-emulator.js';
import type { AtlasDatabaseUser, AtlasState } from './state.js';

/**
 * Atlas Administration API v2 handlers for database users and the project IP access list, written
 * from MongoDB's API reference. One file per area: snapshot handlers go in handlers-snapshots.ts and
 * are spread into ATLAS_HANDLERS in server.ts.
 */

type In = HandlerInput<AtlasState>;

export function atlasError(status: number, errorCode: string, detail: string): EmulatorHttpError {
  return new EmulatorHttpError(status, atlasErrorBody(status, errorCode, detail));
}

export function atlasErrorBody(status: number, errorCode: string, detail: string) {
  const reasons: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 406: 'Not Acceptable', 409: 'Conflict', 500: 'Internal Server Error' };
  return { detail, error: status, errorCode, parameters: [], reason: reasons[status] ?? 'Error' };
}

const link = (href: string) => [{ href, rel: 'self' }];

function userView(groupId: string, u: AtlasDatabaseUser) {
  return {
    databaseName: u.databaseName,
    groupId,
    labels: u.labels,
    ...(u.description ? { description: u.description } : {}),
    links: link(`https://cloud.mongodb.com/api/atlas/v2/groups/${groupId}/databaseUsers/${u.databaseName}/${encodeURIComponent(u.username)}`),
    roles: u.roles,
    scopes: [],
    username: u.username,
    awsIAMType: 'NONE',
    ldapAuthType: 'NONE',
    oidcAuthType: 'NONE',
    x509Type: 'NONE',
  };
}

function findUser(input: In): { groupId: string; user: AtlasDatabaseUser } {
  const groupId = String(input.params.groupId);
  const user = input.state.projects.get(groupId)?.users.get(`${String(input.params.databaseName)}/${String(input.params.username)}`);
  if (!user) throw atlasError(404, 'USERNAME_NOT_FOUND', `No user with username ${String(input.params.username)} exists.`);
  return { groupId, user };
}

function entryKey(raw: string): string {
  // Clients send a CIDR's slash as %2F; the router already decoded it.
  return raw.endsWith('/32') ? raw.slice(0, -3) : raw;
}

function entryView(groupId: string, key: string, e: { ipAddress?: string; cidrBlock?: string; comment?: string }) {
  return { ...e, groupId, links: link(`https://cloud.mongodb.com/api/atlas/v2/groups/${groupId}/accessList/${encodeURIComponent(key)}`) };
}

export const ATLAS_HANDLERS: Record<string, (input: In) => HandlerOutput> = {
  getDatabaseUser(input) {
    const { groupId, user } = findUser(input);
    return { status: 200, body: userView(groupId, user) };
  },

  updateDatabaseUser(input) {
    const { groupId, user } = findUser(input);
    const body = input.body as Partial<AtlasDatabaseUser> & { password?: string };
    if (body.username !== undefined && body.username !== user.username) throw atlasError(400, 'INVALID_ATTRIBUTE', 'username cannot be changed');
    if (body.password !== undefined) {
      // Atlas's own rule for SCRAM passwords; the spec says minLength 8 as well.
      if (body.password.length < 8) throw atlasError(400, 'DATABASE_USER_PASSWORD_TOO_SHORT', 'The password must be at least 8 characters long.');
      user.password = body.password;
      user.passwordChanges++;
    }
    if (body.roles !== undefined) user.roles = body.roles;
    if (body.labels !== undefined) user.labels = body.labels;
    if (body.description !== undefined) user.description = body.description;
    return { status: 200, body: userView(groupId, user) };
  },

  getAccessListEntry(input) {
    const groupId = String(input.params.groupId);
    const key = entryKey(String(input.params.entryValue));
    const e = input.state.projects.get(groupId)?.accessList.get(key);
    if (!e) throw atlasError(404, 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND', `IP Address ${key} not on Atlas access list for group ${groupId}.`);
    return { status: 200, body: entryView(groupId, key, e) };
  },

  deleteAccessListEntry(input) {
    const groupId = String(input.params.groupId);
    const key = entryKey(String(input.params.entryValue));
    if (!input.state.projects.get(groupId)?.accessList.delete(key)) throw atlasError(404, 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND', `IP Address ${key} not on Atlas access list for group ${groupId}.`);
    return { status: 204 };
  },

  listAccessListEntries(input) {
    const groupId = String(input.params.groupId);
    const all = [...(input.state.projects.get(groupId)?.accessList ?? new Map()).entries()];
    return { status: 200, body: { links: link(`https://cloud.mongodb.com/api/atlas/v2/groups/${groupId}/accessList`), results: all.map(([k, e]) => entryView(groupId, k, e)), totalCount: all.length } };
  },
};

/** Service-account OAuth: client credentials in Basic auth, a bearer token back (RFC 6749 §4.4). */
export function oauthToken(req: IncomingMessage, raw: string, state: AtlasState): HandlerOutput {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
  const form = new URLSearchParams(raw);
  if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
  if (id !== state.clientId || secret !== state.clientSecret) return { status: 401, body: { error: 'invalid_client' } };
  return { status: 200, body: { access_token: state.issueToken(), expires_in: 3600, token_type: 'Bearer' } };
}

export function atlasAuthorise(req: IncomingMessage, state: AtlasState): HandlerOutput | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!bearer || !state.bearerTokens.has(bearer[1]!)) return { status: 401, body: atlasErrorBody(401, 'NOT_ORG_GROUP_CREATOR', 'Current user is not authorized to perform this action.') };
  return undefined;
}

/** Atlas answers an Accept without the operation's versioned media type with 406. */
export function atlasVersionCheck(req: IncomingMessage, op: SpecOperation): HandlerOutput | undefined {
  const wanted = (op as SpecOperation & { mediaType?: string }).mediaType;
  if (wanted && !(req.headers.accept ?? '').includes(wanted)) {
    return { status: 406, body: atlasErrorBody(406, 'INVALID_VERSION_DATE', `Accept must name ${wanted}`) };
  }
  return undefined;
}
