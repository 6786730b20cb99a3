import type { GitHubEmulator } from '../../drill/emulators/github/server.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';
import { FREEZE_RECORD_VARIABLE, INCIDENT_MODE_VARIABLE } from './ports.js';

/**
 * The deploy controls as the GitHub emulator holds them, for the freeze and unfreeze runbook
 * fixtures: INCIDENT_MODE (repository and per environment), every workflow's state, every
 * environment's branch policy, and whether freeze's record variable exists.
 */
export interface DeployState {
  incidentMode: string | null;
  workflows: Record<string, string>;
  environments: Record<string, { policy: unknown; incidentMode: string | null }>;
  record: boolean;
}

export function deployState(gh: GitHubEmulator): DeployState {
  const s = gh.state;
  return {
    incidentMode: s.repoVariables.get(INCIDENT_MODE_VARIABLE)?.value ?? null,
    workflows: Object.fromEntries([...s.workflows.values()].map((w) => [w.path, w.state]).sort()),
    environments: Object.fromEntries(
      [...s.environments.values()].map((e) => [e.name, { policy: structuredClone(e.deploymentBranchPolicy), incidentMode: e.variables.get(INCIDENT_MODE_VARIABLE)?.value ?? null }]).sort(),
    ),
    record: s.repoVariables.has(FREEZE_RECORD_VARIABLE),
  };
}

/** The deploy controls before the drill's first freeze (what unfreeze must restore). */
export async function deployBaseline(world: RunbookWorld): Promise<DeployState> {
  const gh = await world.github();
  return world.once('freeze:baseline', async () => deployState(gh));
}

/** `deploy.yml, release.yml` / one per line → file names. */
export function workflowFiles(raw: unknown): string[] {
  const text = Array.isArray(raw) ? raw.map(String).join('\n') : typeof raw === 'string' ? raw : '';
  return text.split(/[\s,]+/).filter(Boolean);
}

export function textInput(input: Readonly<Record<string, unknown>>, ...names: string[]): string | undefined {
  for (const n of names) if (typeof input[n] === 'string' && (input[n] as string).trim()) return (input[n] as string).trim();
  return undefined;
}
