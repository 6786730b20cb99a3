import type { Command } from 'commander';
import { capability } from '../../capabilities/incident-tick/capability.js';
import { tickOpenIncidents } from '../../capabilities/incident-tick/step.js';
import { realSleep, systemClock } from '../../core/runtime.js';
import { buildIncidentPorts } from '../../runtime/ports/incident.js';
import { globalsOf, ioOf, printJson } from '../io.js';
import { notifyAfterCli } from './capabilities.js';
import { addStepOptions, loadCliConfig, runStepCommand, stepOptionsOf } from '../run-step.js';

/**
 * `firebreak incident-tick`: the one capability whose command is hand-written, because one command
 * runs the step once per open incident (each run is its own audited record on its own issue).
 */
export function register(program: Command): void {
  const cmd = program.command(capability.slug).description(capability.description);
  for (const alias of capability.cliAliases ?? []) cmd.alias(alias);
  addStepOptions(cmd).action(async (_o: unknown, command: Command) => {
    const io = ioOf(command);
    const opts = stepOptionsOf(command);
    const config = await loadCliConfig(opts.config, io);
    const rt = await capability.runtime();
    const ports = buildIncidentPorts({ env: io.env, sleep: io.sleep ?? realSleep, clock: io.clock ?? systemClock, config });
    const reports = await tickOpenIncidents(
      ports,
      async (id) => {
        // The same notify hook as every other incident command: an escalation the tick posts is paged now.
        const run = await runStepCommand(command, rt.step, {}, { ports: (e) => rt.ports(e), mirrorFailure: 'fail', incidentId: id, followUp: (source, session, cfg) => notifyAfterCli(capability.slug, source, session, cfg, io) });
        return { posted: run.result?.outcomes.filter((x) => x.status === 'applied' && x.target === 'github:comment').length ?? 0 };
      },
      () => (io.clock ?? systemClock).now(),
      opts.incident ? [opts.incident] : undefined,
    );
    const failed = reports.filter((r) => r.error !== undefined);
    if (globalsOf(command).json) printJson(io, reports.map((r) => ({ id: r.id, posted: r.posted, skipped: r.skipped, error: r.error ? (r.error as Error).message : undefined })));
    else for (const r of reports) io.stderr(`${r.id}: ${r.error ? `failed: ${(r.error as Error).message}` : r.skipped ? 'nothing due' : `${r.posted} notice(s)`}`);
    if (failed.length) throw failed[0]!.error;
  });
}
