/**
 * The capabilities a fleet run can fan out, by slug: no imports, so the CLI generator and the
 * workflow generator can ask without loading any SDK (src/fleet/capabilities.ts holds the modules).
 *
 *   block-ips      AWS account/region (WAF IP sets), Cloudflare account (IP list)
 *   rotate-secret  AWS account/region (the same secret name in each: a shared credential)
 *   freeze         GitHub repository[/environment] (INCIDENT_MODE, deploy workflows, environment lock)
 *
 * preserve-evidence is not fanned out yet: its store is the home kit's evidence bucket, and a member
 * account would need cross-account writes into it plus each source's read grants (docs/operators/fleet.md).
 */
export const FLEET_SLUGS = ['block-ips', 'rotate-secret', 'freeze'] as const;
export type FleetSlug = (typeof FLEET_SLUGS)[number];

export function isFleetCapable(slug: string): slug is FleetSlug {
  return (FLEET_SLUGS as readonly string[]).includes(slug);
}

/** Inputs each fleet target sets itself, so the fleet workflow does not offer them (block-ips: where to act). */
export const FLEET_SET_INPUTS: Readonly<Record<FleetSlug, readonly string[]>> = {
  'block-ips': ['target'],
  'rotate-secret': [],
  freeze: [],
};
