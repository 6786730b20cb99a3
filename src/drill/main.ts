import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { startArgoCdEmulator } from './emulators/argocd/server.js';
import { startCloudflareEmulator } from './emulators/cloudflare/server.js';
import { startGitHubEmulator } from './emulators/github/server.js';
import { startMoto } from './emulators/moto.js';
import { formatSummary, runDrill, type EmulatorStarters } from './runner.js';
import type { DrillScenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';

/**
 * `npm run drill [-- NAME... ] [--report FILE] [--keep]`: starts the emulators the chosen scenarios
 * need, runs them in order, prints every expectation and a summary, always stops the emulators, and
 * exits non-zero when any expectation fails.
 */

export const defaultStarters: EmulatorStarters = {
  aws: () => startMoto(),
  github: () => startGitHubEmulator(),
  cloudflare: () => startCloudflareEmulator(),
  argocd: () => startArgoCdEmulator(),
};

export function selectScenarios(all: readonly DrillScenario[], names: string[]): DrillScenario[] {
  if (names.length === 0) return [...all];
  const unknown = names.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`);
  return all.filter((s) => names.includes(s.name));
}

export async function drillMain(
  argv: string[],
  starters: EmulatorStarters = defaultStarters,
  print: (line: string) => void = (l) => console.log(l),
  registry: readonly DrillScenario[] = SCENARIOS,
): Promise<number> {
  // `npm run drill -- --runbook FILE` is `firebreak drill --runbook FILE`: one implementation.
  if (argv.some((a) => a === '--runbook' || a.startsWith('--runbook='))) {
    const { main } = await import('../cli/main.js');
    return main(['drill', ...argv]);
  }
  const names: string[] = [];
  let reportFile: string | undefined;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--report') reportFile = argv[++i];
    else if (a === '--keep') keep = true;
    else if (a.startsWith('-')) {
      print(`unknown option ${a}; usage: npm run drill [-- NAME...] [--report FILE] [--keep]`);
      return 2;
    } else names.push(a);
  }
  let cleanup: (() => Promise<void>) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    print(`\n${signal}: stopping emulators…`);
    void (cleanup ?? (async () => {}))().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const scenarios = selectScenarios(registry, names);
    print(`drill: ${scenarios.length} scenario(s): ${scenarios.map((s) => s.name).join(', ')}`);
    const report = await runDrill(scenarios, { starters, print, keepWorkDir: keep, onCleanup: (c) => (cleanup = c) });
    print(formatSummary(report));
    if (reportFile) await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  } catch (error) {
    print(`drill aborted: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await drillMain(process.argv.slice(2));
}
