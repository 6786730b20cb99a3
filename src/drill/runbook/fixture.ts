import type { Expectation } from '../scenario.js';
import type { RunbookWorld } from './world.js';

/**
 * What one step of a runbook drill ran with and what came back: the inputs after aliases (as the
 * responder's command line gave them) and the step's `--json` output (or the refusal).
 */
export interface StepOutcome {
  /** The step's inputs, by public name, after aliases were applied. */
  input: Readonly<Record<string, unknown>>;
  /** `applied`, `refused`, `partial`, … from the audit record, or `error` when no record came back. */
  status: string;
  /** The error code of a refusal or failure (what `expect:` compares), else undefined. */
  code: string | undefined;
  /** The step's plan and result as the CLI printed them with --json. */
  plan: unknown;
  result: unknown;
  /** The incident the step ran in (the declared one). */
  incidentId: string | undefined;
  exitCode: number;
}

/**
 * How a runbook drill makes a capability's world real and checks what the step did there. One per
 * capability, in `src/capabilities/<slug>/runbook-fixture.ts`, registered with ONE line in
 * `src/drill/runbook/fixtures.ts`.
 *
 * `prepare` makes exist what the inputs name (a secret, an ECS service, the break-glass kit, a log
 * group with events), through the emulators' own APIs and never through the fault proxy. When an
 * emulator cannot take the name the runbook writes (moto mints instance ids), it creates its own
 * and calls `world.alias(written, real)`. It must be idempotent: a runbook may run a capability twice.
 *
 * `verify` reads the emulators back and returns what it checked. A step whose `expect:` is an error
 * code is verified too: nothing may have changed.
 */
export interface RunbookFixture {
  prepare?(world: RunbookWorld, input: Readonly<Record<string, unknown>>): Promise<void>;
  verify(world: RunbookWorld, outcome: StepOutcome): Promise<Expectation[]>;
}
