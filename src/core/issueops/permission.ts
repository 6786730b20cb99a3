import * as z from 'zod/mini';

/**
 * Repository roles in increasing power, as `repos/get-collaborator-permission-level` names them
 * (`role_name`; `permission` only has none/read/write/admin, so triage and maintain fold there).
 */
export const REPOSITORY_ROLES = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;
export type RepositoryRole = (typeof REPOSITORY_ROLES)[number];
export const repositoryRole = z.enum(REPOSITORY_ROLES);

/** The role a permission lookup answered; custom role names fall back to the base permission. */
export function roleOf(answer: { permission?: string | null; role_name?: string | null }): RepositoryRole {
  const named = REPOSITORY_ROLES.find((r) => r === answer.role_name);
  if (named) return named;
  const base = REPOSITORY_ROLES.find((r) => r === answer.permission);
  return base ?? 'none';
}

export function atLeast(role: RepositoryRole, minimum: RepositoryRole): boolean {
  return REPOSITORY_ROLES.indexOf(role) >= REPOSITORY_ROLES.indexOf(minimum);
}
