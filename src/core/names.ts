/**
 * One source of truth for the names `pulumi up` writes into the protected GitHub environment and
 * the names actions and the CLI read. The kit (infra/) writes every entry of KIT_VARIABLES; the
 * steps read them through `readKitVariables`. A test checks both directions.
 *
 * Add a name here, never as a string literal elsewhere.
 */
export const KIT_VARIABLES = {
  /** AWS region of the regional break-glass kit. */
  awsRegion: 'FIREBREAK_AWS_REGION',
  /** ARN of the responder role GitHub Actions assumes through OIDC. */
  responderRoleArn: 'FIREBREAK_RESPONDER_ROLE_ARN',
} as const;

export type KitVariableKey = keyof typeof KIT_VARIABLES;
export type KitVariableName = (typeof KIT_VARIABLES)[KitVariableKey];

/** Reads the kit's variables from an environment map (process.env at the entry point). */
export function readKitVariables(env: Record<string, string | undefined>): Partial<Record<KitVariableKey, string>> {
  const out: Partial<Record<KitVariableKey, string>> = {};
  for (const [key, name] of Object.entries(KIT_VARIABLES) as [KitVariableKey, string][]) {
    const v = env[name]?.trim();
    if (v) out[key] = v;
  }
  return out;
}
