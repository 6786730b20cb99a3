import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigError, EXIT_CODES, FirebreakError, PartialFailureError, asError, exitCodeFor } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';
import { attachIo, printJson, processIo, type CliIo } from './io.js';

/**
 * The `firebreak` CLI. Commands throw typed errors; only this entry point turns them into output
 * and an exit code (set on process.exitCode by the caller, never process.exit, so pending audit
 * writes and emulator shutdowns finish).
 */

export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('firebreak');
  attachIo(program, io);
  program
    .description('Incident response as code: audited containment steps, dry-run by default.')
    .version(readVersion(), '-V, --version', 'print the version')
    .option('--json', 'machine-readable output: one JSON document on stdout', false)
    .option('-v, --verbose', 'log debug messages to stderr', false)
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: () => {
        // Printed by `main` with the other errors, as text or JSON.
      },
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 unexpected, 2 bad input or config, 3 refused by a guard, 4 conflict,
            5 provider error, 6 partial failure, 7 audit chain broken.
Steps are dry-run unless --apply is given; every run appends one record to the audit chain.`,
    );
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI and returns the exit code. Never exits the process. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const json = argv.includes('--json');
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      if (thrown.exitCode === 0) return EXIT_CODES.ok; // --help, --version
      printError(io, json, { name: 'UsageError', code: 'USAGE', message: thrown.message.replace(/^error: /, ''), hint: 'Run `firebreak --help` or `firebreak <command> --help`.' });
      return EXIT_CODES.input;
    }
    printError(io, json, describeError(thrown));
    return exitCodeFor(thrown);
  }
}

export interface ErrorView {
  name: string;
  code: string;
  message: string;
  hint?: string | undefined;
  [key: string]: unknown;
}

/** What a responder (or a script) needs from a thrown value; never its `cause` or stack. */
export function describeError(thrown: unknown): ErrorView {
  if (thrown instanceof FirebreakError) {
    const view = thrown.toJSON() as ErrorView;
    if (thrown instanceof ConfigError) view.problems = thrown.problems;
    if (thrown instanceof PartialFailureError) view.result = thrown.result;
    return view;
  }
  const err = asError(thrown);
  return {
    name: err.name,
    code: 'UNEXPECTED',
    message: err.message,
    hint: 'This is a bug or an unhandled condition: re-run with --verbose and report it with the audit record.',
    stack: err.stack,
  };
}

function printError(io: CliIo, json: boolean, view: ErrorView): void {
  if (json) {
    printJson(io, { ok: false, error: view });
    return;
  }
  const lines = [`error ${view.code}: ${view.message}`];
  if (view.hint) lines.push(...view.hint.split('\n').map((l, i) => (i === 0 ? `hint: ${l}` : `  ${l}`)));
  if (view.code === 'UNEXPECTED' && typeof view.stack === 'string' && io.env.FIREBREAK_DEBUG) lines.push(view.stack);
  io.stderr(io.redactor.scrub(lines.join('\n')));
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(entry).href;
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
