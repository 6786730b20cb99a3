import type { Command } from 'commander';
import { realSleep } from '../../core/runtime.js';
import { buildIpBlockPorts } from '../../runtime/ip-block-ports.js';
import { blockIpsStep } from '../../capabilities/block-ips/step.js';
import { sweepExpiredStep } from '../../capabilities/sweep-expired/step.js';
import { unblockIpsStep } from '../../capabilities/unblock-ips/step.js';
import { addStepOptions, runStepCommand, type StepEnv } from '../run-step.js';

/**
 * `firebreak block-ips`, `unblock-ips` and `sweep-expired`: the same steps as the actions, from a
 * terminal. Kit ids come from the same variables `pulumi up` writes (export them, or use a .env).
 */
const ports = (e: StepEnv) => buildIpBlockPorts(e.env, e.config, { sleep: realSleep, onRetry: (m) => e.logger.info(m) });

/** Addresses may be given as several arguments or one comma/space separated argument. */
function joinAddresses(args: string[]): string {
  return args.join('\n');
}

export function register(program: Command): void {
  addStepOptions(
    program
      .command('block-ips')
      .description('block addresses/CIDRs on the WAFv2 IP sets and the Cloudflare IP list (dry-run unless --apply)')
      .argument('<addresses...>', 'IPv4/IPv6 addresses or CIDRs (commas, spaces or separate arguments)')
      .requiredOption('--reason <text>', 'why these addresses are blocked (stored with each block)')
      .option('--ttl <duration>', 'how long the block lasts: 30m, 24h, 7d (default: blocking.default_ttl)')
      .option('--target <target>', 'all, waf or cloudflare', 'all'),
  ).action(async (addresses: string[], opts: { reason: string; ttl?: string; target: string }, cmd: Command) => {
    await runStepCommand(cmd, blockIpsStep, { addresses: joinAddresses(addresses), reason: opts.reason, ttl: opts.ttl, target: opts.target }, { ports });
  });

  addStepOptions(
    program
      .command('unblock-ips')
      .description('remove exactly the given addresses/CIDRs from the WAFv2 IP sets and the Cloudflare IP list')
      .argument('<addresses...>', 'IPv4/IPv6 addresses or CIDRs as they were blocked')
      .requiredOption('--reason <text>', 'why the block is lifted')
      .option('--target <target>', 'all, waf or cloudflare', 'all'),
  ).action(async (addresses: string[], opts: { reason: string; target: string }, cmd: Command) => {
    await runStepCommand(cmd, unblockIpsStep, { addresses: joinAddresses(addresses), reason: opts.reason, target: opts.target }, { ports });
  });

  addStepOptions(
    program
      .command('sweep-expired')
      .description('remove blocks whose time to live has passed (from the block ledger)')
      .option('--target <target>', 'all, waf or cloudflare', 'all'),
  ).action(async (opts: { target: string }, cmd: Command) => {
    await runStepCommand(cmd, sweepExpiredStep, { target: opts.target }, { ports });
  });
}
