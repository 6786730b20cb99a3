import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { errorView, type ErrorView } from '../core/error-view.js';
import { EXIT_CODES, asError, exitCodeFor, type ExitCodeName } from '../core/errors.js';
import { Redactor } from '../core/redact.js';
import { ENV, registerCredentials } from '../runtime/env.js';
import { COMMANDS } from './commands/index.js';
import { attachIo, printJson, processIo, type CliIo } from './io.js';

/**
 * The `firebreak` CLI. Commands throw typed errors; only this entry point turns them into output
 * and an exit code (set on process.exitCode by the caller, never process.exit, so pending audit
 * writes and emulator shutdowns finish).
 */

/** Compiled into the bundle by scripts/build.mjs (`define`); undeclared when run from the sources. */
declare const FIREBREAK_VERSION: string | undefined;

export function readVersion(): string {
  // Bundled, package.json is not at this path relative to dist/: the build compiles the version in.
  return typeof FIREBREAK_VERSION === 'string' ? FIREBREAK_VERSION : readPackageVersion();
}

function readPackageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(io: CliIo, commands: ReadonlyArray<(program: Command) => void>): Command {
  const program = new Command('firebreak');
  attachIo(program, io);
  program
    .description('Incident response as code: audited containment steps, dry-run by default.')
    .version(readVersion(), '-V, --version', 'print the version')
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('-v, --verbose', 'log debug messages to stderr')
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
  for (const register of commands) register(program);
  return program;
}

/**
 * The command modules an invocation needs: the one owning its first word, or all of them (for
 * `--help`, `help`, an unknown word, so commander can list or suggest).
 */
export async function loadCommands(argv: readonly string[], registry: typeof COMMANDS = COMMANDS): Promise<Array<(program: Command) => void>> {
  const word = argv.find((a) => !a.startsWith('-'));
  if (word === undefined && (argv.includes('--version') || argv.includes('-V'))) return [];
  const owner = word === undefined ? undefined : registry.find(([names]) => names.includes(word));
  const chosen = owner && !owner[2]?.needsAllCommands ? [owner] : registry;
  const modules = await Promise.all(chosen.map(([, load]) => load()));
  return modules.map((m) => (program: Command) => m.register(program));
}

/** Runs the CLI and returns the exit code. Never exits the process. */
export async function main(argv: readonly string[], io: CliIo = processIo(), commands?: ReadonlyArray<(program: Command) => void>): Promise<number> {
  const json = argv.includes('--json');
  // Before any command runs or prints: every credential this process can read is a secret on every
  // channel (stdout, stderr, --json), whichever command ends up using it.
  registerCredentials(io.env, (v) => io.redactor.register(v));
  // A command that reports failure through process.exitCode (alert, issueops: a step failed but the
  // event was handled) must not be turned into success by the caller's `exitCode = await main()`.
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    const program = buildProgram(io, commands ?? (await loadCommands(argv)));
    refuseUnknownCommand(program, argv);
    await program.parseAsync([...argv], { from: 'user' });
    const set = Number(process.exitCode ?? 0);
    return set !== 0 && Number.isInteger(set) ? set : EXIT_CODES.ok;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      if (thrown.exitCode === 0) return EXIT_CODES.ok; // --help, --version
      printError(io, json, { name: 'UsageError', code: 'USAGE', message: thrown.message.replace(/^error: /, ''), hint: 'Run `firebreak --help` or `firebreak <command> --help`.' });
      return EXIT_CODES.input;
    }
    const view = describeError(thrown, io.redactor);
    // A stack helps a maintainer, never a responder: only on request.
    if (io.env[ENV.debug] && view.code === 'UNEXPECTED') view.stack = asError(thrown).stack;
    printError(io, json, view);
    return exitCodeFor(thrown);
  } finally {
    process.exitCode = previousExitCode;
  }
}

export type { ErrorView } from '../core/error-view.js';

/** What to do next when the error itself carries no hint, by exit family. */
const DEFAULT_HINTS: Record<ExitCodeName, string> = {
  ok: '',
  unexpected: 'This is a bug or an unhandled condition: re-run with --verbose and report it with the audit record.',
  input: 'Nothing was changed. Fix the input named above (see `firebreak <command> --help`).',
  guard: 'Nothing was changed. Narrow the request, or override with --override-guard CODE --override-reason TEXT (recorded in the audit record).',
  conflict: 'Another writer kept changing the same resource. Nothing else was changed; re-run the same command: it converges.',
  provider: 'The provider refused or failed. Check credentials, permissions and the endpoint, then re-run: steps are idempotent.',
  partial: 'Some targets were changed and some were not (listed above). Fix the cause and re-run the same command: it converges.',
  audit: 'Preserve the audit file and its .head as evidence, and compare with the evidence store copy.',
};

/**
 * What a responder (or a script) needs from a thrown value; never its `cause` or stack. The one
 * error view of every entry point (src/core/error-view.ts), with the CLI's wording for "what next".
 */
export function describeError(thrown: unknown, redactor: Redactor = new Redactor()): ErrorView {
  return errorView(thrown, redactor, DEFAULT_HINTS);
}

/**
 * Commander answers `firebreak nope --help` (and `firebreak config nope --help`) with the help of the
 * nearest known command and exit 0, because `--help` is handled before the word is looked up. An
 * unknown command or subcommand is an error with or without `--help`, at every level.
 */
function refuseUnknownCommand(program: Command, argv: readonly string[]): void {
  let parent = program;
  let rest = argv;
  for (;;) {
    const at = commandWordIndex(parent, rest);
    if (at === undefined) return;
    let word = rest[at]!;
    rest = rest.slice(at + 1);
    // `firebreak help nope`, `firebreak config help nope` ask for the help of a command too.
    if (word === 'help' && !parent.commands.some((c) => c.name() === 'help')) {
      const next = commandWordIndex(parent, rest);
      if (next === undefined) return;
      word = rest[next]!;
      rest = rest.slice(next + 1);
    }
    const found = parent.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!found) throw new CommanderError(EXIT_CODES.input, 'commander.unknownCommand', `unknown command '${[...commandPath(parent), word].join(' ')}'`);
    // A command without subcommands reads the next words as its arguments, not as commands.
    if (found.commands.length === 0) return;
    parent = found;
  }
}

function commandPath(cmd: Command): string[] {
  const out: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) out.unshift(c.name());
  return out;
}

/** Index of the first argument that is neither an option of `cmd` (or its parents) nor such an option's value. */
function commandWordIndex(cmd: Command, argv: readonly string[]): number | undefined {
  const options = [];
  for (let c: Command | null = cmd; c; c = c.parent) options.push(...c.options);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return i + 1 < argv.length ? i + 1 : undefined;
    if (!a.startsWith('-')) return i;
    const option = options.find((o) => o.long === a.split('=')[0] || o.short === a);
    if (option && (option.required || option.optional) && !a.includes('=')) i++;
  }
  return undefined;
}

function printError(io: CliIo, json: boolean, view: ErrorView): void {
  if (json) {
    printJson(io, { ok: false, error: view });
    return;
  }
  const lines = [`error ${view.code}: ${view.message}`];
  if (view.hint) lines.push(...view.hint.split('\n').map((l, i) => (i === 0 ? `hint: ${l}` : `  ${l}`)));
  if (typeof view.stack === 'string') lines.push(view.stack);
  io.stderr(io.redactor.scrub(lines.join('\n')));
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(entry).href;
}

// Not a top-level await: a command that runs other commands in-process (`drill --runbook`) imports
// this module again, and a pending top-level await would make that import wait for itself.
if (isEntryPoint()) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
