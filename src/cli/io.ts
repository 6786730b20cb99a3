import type { Command } from 'commander';
import { Redactor } from '../core/redact.js';
import { terminalText } from '../core/render.js';
import type { Clock, Sleep } from '../core/runtime.js';

/**
 * What a command may touch of the outside world. `main` builds one per invocation; tests pass a
 * recording one, so commands are exercised without spawning a process.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Every secret a command learns is registered here, so error output is scrubbed too. */
  redactor: Redactor;
  /** Time and waits for steps and provider retries (default: the system clock, real sleep); tests inject. */
  clock?: Clock;
  sleep?: Sleep;
  /** Asks a yes/no question (tests answer it); without it a command asks on a TTY, else takes no. */
  confirm?: (question: string) => Promise<boolean>;
}

export interface GlobalOptions {
  json: boolean;
  verbose: boolean;
}

const IO = Symbol.for('firebreak.cli.io');

export function attachIo(program: Command, io: CliIo): void {
  (program as unknown as Record<symbol, CliIo>)[IO] = io;
}

/** The io of the program a (sub)command belongs to. */
export function ioOf(cmd: Command): CliIo {
  let c: Command | null = cmd;
  while (c) {
    const io = (c as unknown as Record<symbol, CliIo | undefined>)[IO];
    if (io) return io;
    c = c.parent;
  }
  return processIo();
}

export function globalsOf(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ json?: boolean; verbose?: boolean }>();
  return { json: o.json === true, verbose: o.verbose === true };
}

let pipeGuarded = false;

export function processIo(): CliIo {
  if (!pipeGuarded) {
    pipeGuarded = true;
    // `firebreak … | head` closes the pipe early: that is not an error worth a stack trace.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
    }
  }
  return {
    stdout: (t) => void process.stdout.write(terminalText(t.endsWith('\n') ? t : `${t}\n`)),
    stderr: (t) => void process.stderr.write(terminalText(t.endsWith('\n') ? t : `${t}\n`)),
    env: process.env,
    cwd: process.cwd(),
    redactor: new Redactor(),
  };
}

/** Records output; for tests. */
export function memoryIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    // The same terminal-safe text as processIo, so tests see what a responder would.
    stdout: (t) => void out.push(terminalText(t.endsWith('\n') ? t.slice(0, -1) : t)),
    stderr: (t) => void err.push(terminalText(t.endsWith('\n') ? t.slice(0, -1) : t)),
    env,
    cwd,
    redactor: new Redactor(),
  };
}

/**
 * Writes a JSON document on stdout: one document per invocation, so scripts can pipe to jq. Secrets
 * are scrubbed from its values, never from its syntax (Redactor.json): it always parses.
 */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(io.redactor.json(value, 2));
}
