import { blockIpsFleet } from './block-ips.js';
import type { FleetCapability } from './capability.js';
import { freezeFleet } from './freeze.js';
import { rotateSecretFleet } from './rotate-secret.js';
import type { FleetSlug } from './slugs.js';

/** Fleet-capable capabilities, by slug (the list itself is src/fleet/slugs.ts): one line each. */
export const FLEET_CAPABILITIES: Readonly<Record<FleetSlug, FleetCapability<never>>> = {
  'block-ips': blockIpsFleet as unknown as FleetCapability<never>,
  'rotate-secret': rotateSecretFleet as unknown as FleetCapability<never>,
  freeze: freezeFleet as unknown as FleetCapability<never>,
};
