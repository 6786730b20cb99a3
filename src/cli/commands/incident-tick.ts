import type { Command } from 'commander';
import { capability } from '../../capabilities/incident-tick/capability.js';
import { tickOpenIncidents } from '../../capabilities/incident-tick/step.js';
import { realSleep, systemClock } from '../../core/runtime.js';
import { buildIncidentPorts } from '../../runtime/ports/incident.js';
import { globalsOf, ioOf, printJson } from '../io.js';
import type { FirebreakConfig } from '../../core/config/schema.js';
import { actorFor, addStepOptions, auditFileFor, loadCliConfig, runStepCommand, stderrLogger, stepOptionsOf } from '../run-step.js';
import { notifyAfterCli } from './capabilities.js';

/**
 * `firebreak incident-tick`: the one capability whose command is hand-written, because one command
 * runs the step once per open incident (each run is its own audited record on its own issue).
 * After each incident's tick the notify hook runs for it, as after every incident step: an
 * escalation rung, an overdue acknowledgement or a deadline warning the tick recorded is paged and
 * posted (each delivery once, however many ticks run).
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
        const run = await runStepCommand(command, rt.step, {}, {
          ports: (e) => rt.ports(e),
          mirrorFailure: 'fail',
          incidentId: id,
          followUp: (source, session, cfg) => notifyAfterCli(capability.slug, source, session, cfg, io),
        });
        return { posted: run.result?.outcomes.filter((x) => x.status === 'applied' && x.target === 'github:comment').length ?? 0 };
      },
      () => (io.clock ?? systemClock).now(),
      opts.incident ? [opts.incident] : undefined,
    );
    // A quiet incident gets no tick run and so no hook: notify runs for it only if a delivery is
    // still owed (one that failed earlier), so the tick retries it.
    if (opts.apply) for (const r of reports.filter((x) => x.skipped)) await retryOwed(r.id, command, config, io);
    const failed = reports.filter((r) => r.error !== undefined);
    if (globalsOf(command).json) printJson(io, reports.map((r) => ({ id: r.id, posted: r.posted, skipped: r.skipped, error: r.error ? (r.error as Error).message : undefined })));
    else for (const r of reports) io.stderr(`${r.id}: ${r.error ? `failed: ${(r.error as Error).message}` : r.skipped ? 'nothing due' : `${r.posted} notice(s)`}`);
    if (failed.length) throw failed[0]!.error;
  });
}

async function retryOwed(id: string, command: Command, config: FirebreakConfig, io: ReturnType<typeof ioOf>): Promise<void> {
  const { notifyIfOwed } = await import('../../runtime/notify-hook.js');
  const opts = stepOptionsOf(command);
  const source = {
    env: io.env,
    actor: actorFor(opts, io),
    runUrl: null,
    auditFile: auditFileFor(opts, io),
    redactor: io.redactor,
    logger: () => stderrLogger(io, globalsOf(command).verbose),
    ...(io.clock ? { clock: io.clock } : {}),
    ...(io.sleep ? { sleep: io.sleep } : {}),
    mirrorFailure: 'warn' as const,
  };
  try {
    const notified = await notifyIfOwed(id, source, config);
    if (!notified) return;
    io.stderr(`${id}: notify (owed deliveries): ${notified.status}`);
    if (notified.failure !== undefined) io.stderr(notified.redactor.scrub(`warning: ${id}: notify failed: ${(notified.failure as Error).message ?? String(notified.failure)} — run \`firebreak notify --incident ${id} --apply\` to deliver what failed`));
  } catch (error) {
    // The tick itself succeeded; a notify session that could not even start is reported.
    io.stderr(io.redactor.scrub(`warning: ${id}: could not run notify: ${(error as Error).message ?? String(error)}`));
  }
}
