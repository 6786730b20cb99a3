import * as z from 'zod/mini';

/**
 * `access:` in firebreak.yml — revoke-access / restore-access. Principals listed in `protected`
 * are refused by every run (break-glass users, the kit's own roles, the organisation's owners
 * account); the responder's own identity is refused whether listed or not.
 */
const principalEntry = z.string().check(
  z.regex(/^(?:aws:(?:iam-user|iam-role|cognito-user)|github:user):[^\s@]+(?:@[^\s]+)?$/, 'a principal such as aws:iam-role:break-glass, github:user:octocat or aws:iam-user:ci-*'),
);

export const accessSection = z.strictObject({
  protected: z._default(z.array(principalEntry), []),
  /** Organisation of `github:user:` targets (default: the owner of the repository the kit runs in). */
  github_org: z.optional(z.string().check(z.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'a GitHub organisation login'))),
  /** Key prefix of the access ledger inside the kit's evidence bucket. */
  ledger_prefix: z._default(z.string().check(z.regex(/^[\w./-]*$/)), 'access-ledger/'),
});

export type AccessConfig = z.infer<typeof accessSection>;
