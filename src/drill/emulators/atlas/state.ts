import { randomBytes } from 'node:crypto';

/**
 * What the Atlas emulator remembers per project (group): database users with their current password
 * (held here only, Atlas never returns it) and the IP access list. Service accounts exchange their
 * client id and secret for short-lived bearer tokens, as Atlas's OAuth 2.0 token endpoint does.
 * Snapshots (issue 14) add their own map in their own handler file.
 */

export interface AtlasDatabaseUser {
  databaseName: string;
  username: string;
  roles: Array<{ databaseName: string; roleName: string; collectionName?: string }>;
  labels: Array<{ key: string; value: string }>;
  description?: string;
  password: string;
  /** How many times the password was set (tests: "rotated once, not twice"). */
  passwordChanges: number;
}

export interface AtlasAccessEntry {
  ipAddress?: string;
  cidrBlock?: string;
  comment?: string;
}

export interface AtlasProject {
  users: Map<string, AtlasDatabaseUser>;
  accessList: Map<string, AtlasAccessEntry>;
}

export class AtlasState {
  readonly projects = new Map<string, AtlasProject>();
  readonly bearerTokens = new Set<string>();

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  project(groupId: string): AtlasProject {
    let p = this.projects.get(groupId);
    if (!p) {
      p = { users: new Map(), accessList: new Map() };
      this.projects.set(groupId, p);
    }
    return p;
  }

  addUser(groupId: string, u: { databaseName?: string; username: string; password: string; roles?: AtlasDatabaseUser['roles']; labels?: AtlasDatabaseUser['labels'] }): void {
    const databaseName = u.databaseName ?? 'admin';
    this.project(groupId).users.set(`${databaseName}/${u.username}`, {
      databaseName,
      username: u.username,
      roles: u.roles ?? [{ databaseName: 'admin', roleName: 'readWriteAnyDatabase' }],
      labels: u.labels ?? [],
      password: u.password,
      passwordChanges: 0,
    });
  }

  /** Atlas keys an entry by what was added; a single IPv4 address also reports its /32 block. */
  addAccessEntry(groupId: string, entry: string, comment?: string): void {
    const fields = entry.includes('/') ? { cidrBlock: entry } : { ipAddress: entry, cidrBlock: `${entry}/32` };
    this.project(groupId).accessList.set(entry, { ...fields, ...(comment ? { comment } : {}) });
  }

  issueToken(): string {
    const t = `atlas-emu-${randomBytes(18).toString('base64url')}`;
    this.bearerTokens.add(t);
    return t;
  }

  /** Test-only: the user's current password. */
  password(groupId: string, databaseName: string, username: string): string | undefined {
    return this.projects.get(groupId)?.users.get(`${databaseName}/${username}`)?.password;
  }
}
