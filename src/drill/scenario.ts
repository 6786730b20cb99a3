import type { AuditSink } from '../core/audit.js';
import type { Clock, Logger, Sleep } from '../core/runtime.js';
import type { StepContext } from '../core/step.js';
import type { ArgoEmulator } from './emulators/argocd/server.js';
import type { CloudflareEmulator } from './emulators/cloudflare/server.js';
import type { GitHubEmulator } from './emulators/github/server.js';
import type { MotoServer } from './emulators/moto.js';

/**
 * A drill scenario acts through a real step against the emulators and checks the resulting emulator
 * state. Each capability adds `src/drill/scenarios/<slug>.ts` exporting one DrillScenario and ONE
 * line in `src/drill/scenarios/index.ts`. Scenarios run in that order, against emulators that are
 * started once and NOT reset between scenarios, so a later scenario may build on an earlier one
 * (block, then unblock). A scenario that needs a clean slate resets in `setup`.
 */

export type EmulatorKind = 'aws' | 'github' | 'cloudflare' | 'argocd';

/** One checked fact. A scenario returns all of them, failed ones included, so the report is complete. */
export interface Expectation {
  name: string;
  ok: boolean;
  /** What was seen, shown when the expectation fails (and in the JSON report). */
  detail?: string | undefined;
}

export interface DrillEnv {
  /** Present when any scenario needs it. */
  aws?: MotoServer | undefined;
  github?: GitHubEmulator | undefined;
  cloudflare?: CloudflareEmulator | undefined;
  argocd?: ArgoEmulator | undefined;
  /**
   * Environment for the real clients (AWS_ENDPOINT_URL, GITHUB_API_URL, FIREBREAK_GITHUB_TOKEN,
   * CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN, …): pass it to src/runtime builders, never mutate
   * process.env.
   */
  env: Record<string, string>;
  /** A temp dir owned by this drill run; removed at the end. */
  workDir: string;
  /** The drill's own audit chain (a file in workDir); verified at the end of the drill. */
  audit: AuditSink;
  auditFile: string;
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  /** A StepContext on this drill's audit chain; `dryRun` defaults to false (drills apply). */
  context(overrides?: Partial<StepContext>): StepContext;
}

export interface DrillScenario {
  name: string;
  description: string;
  needs: EmulatorKind[];
  /** Prepares the state this scenario acts on (break-glass kit resources, seeded findings, …). */
  setup?(env: DrillEnv): Promise<void>;
  run(env: DrillEnv): Promise<Expectation[]>;
}

/** Builds an expectation: `check('WAF IP set holds 203.0.113.7/32', set.includes(x), \`got ${set}\`)`. */
export function check(name: string, ok: boolean, detail?: string): Expectation {
  return ok ? { name, ok } : { name, ok, detail };
}

/** Deep-equality expectation with a readable detail. */
export function checkEqual(name: string, actual: unknown, expected: unknown): Expectation {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  return check(name, a === e, `expected ${e}, got ${a}`);
}
