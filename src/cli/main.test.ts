import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { AuditChainError, ConfigError, ConflictError, EXIT_CODES, GuardError, InputError, PartialFailureError, ProviderError } from '../core/errors.js';
import { memoryIo } from './io.js';
import { COMMANDS } from './commands/index.js';
import { buildProgram, loadCommands, main } from './main.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** A command that throws what it is told to: exercises the entry point's error mapping. */
function thrower(error: unknown) {
  return (program: Command) => {
    program.command('boom').action(() => {
      throw error;
    });
  };
}

describe('command registry', () => {
  it('each module registers exactly the top-level names and aliases listed for it, and no name twice', async () => {
    const all = COMMANDS.flatMap(([names]) => names);
    expect(new Set(all).size).toBe(all.length);
    for (const [names, load] of COMMANDS) {
      const mod = await load();
      const program = buildProgram(memoryIo(), [mod.register]);
      expect(program.commands.flatMap((c) => [c.name(), ...c.aliases()])).toEqual([...names]);
    }
  });

  it('loads only the module owning the first word; all of them for help or an unknown word', async () => {
    expect(await loadCommands(['--json', 'audit', 'verify', 'f'])).toHaveLength(1);
    expect(await loadCommands(['--version'])).toHaveLength(0);
    expect(await loadCommands(['--help'])).toHaveLength(COMMANDS.length);
    expect(await loadCommands(['nope'])).toHaveLength(COMMANDS.length);
    expect(await loadCommands(['runbooks', 'check'])).toHaveLength(COMMANDS.length);
  });
});

describe('firebreak entry point', () => {
  it('--version prints the package version and exits 0', async () => {
    const io = memoryIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out.join('\n')).toBe(version);
  });

  it('--help lists the registered commands and the exit codes', async () => {
    const io = memoryIo();
    expect(await main(['--help'], io)).toBe(0);
    const help = io.out.join('\n');
    expect(help).toContain('audit');
    expect(help).toContain('config');
    expect(help).toMatch(/7 audit chain broken/);
  });

  it('an unknown command is a usage error (exit 2) with a hint', async () => {
    const io = memoryIo();
    expect(await main(['nope'], io)).toBe(EXIT_CODES.input);
    expect(io.err.join('\n')).toMatch(/^error USAGE: unknown command 'nope'\nhint: /);
  });

  it.each([
    [['nope', '--help']],
    [['--help', 'nope']],
    [['--verbose', 'nope', '-h']],
    [['nope', 'verify', '--help', '--json']],
    [['help', 'nope']],
  ])('an unknown command is an error with --help too: %j', async (argv) => {
    const io = memoryIo();
    expect(await main(argv, io)).toBe(EXIT_CODES.input);
    const text = [...io.out, ...io.err].join('\n');
    expect(text).toContain("unknown command 'nope'");
    // The top-level help is not printed as if the request had succeeded.
    expect(io.out.join('\n')).not.toContain('Usage: firebreak');
  });

  it.each([
    [['config', 'nope', '--help']],
    [['audit', 'nope', '--help']],
    [['--json', 'audit', 'nope', '-h']],
    [['help', 'config', 'nope']],
    [['config', 'help', 'nope']],
    [['audit', '--help', 'nope']],
  ])('an unknown subcommand is an error with --help too: %j', async (argv) => {
    const io = memoryIo();
    expect(await main(argv, io)).toBe(EXIT_CODES.input);
    expect([...io.out, ...io.err].join('\n')).toMatch(/unknown command '(config|audit) nope'/);
    expect(io.out.join('\n')).not.toContain('Usage: firebreak');
  });

  it.each([
    [['config', 'check', '--help']],
    [['help', 'audit', 'verify']],
    [['audit', 'help', 'verify']],
    [['block-ips', 'nope', '--help']],
  ])('known subcommands, and arguments of a leaf command, still get their help: %j', async (argv) => {
    const io = memoryIo();
    expect(await main(argv, io)).toBe(EXIT_CODES.ok);
    expect(io.out.join('\n')).toContain('Usage: firebreak');
  });

  it('a known command with --help still prints its help and exits 0', async () => {
    const io = memoryIo();
    expect(await main(['config', '--help'], io)).toBe(EXIT_CODES.ok);
    expect(io.out.join('\n')).toContain('Usage: firebreak config');
  });

  it.each([['true'], ['null'], ['false'], ['file'], ['summary']])('--json stays valid JSON when a credential is %j (scrubbed in values, not in the syntax)', async (token) => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-json-'));
    writeFileSync(join(dir, 'firebreak.yml'), 'version: 1\n');
    const io = memoryIo({ CLOUDFLARE_API_TOKEN: token, note: `x ${token} y` }, dir);
    expect(await main(['config', 'check', 'firebreak.yml', '--json'], io)).toBe(EXIT_CODES.ok);
    const doc = JSON.parse(io.out.join('\n')) as { ok: boolean };
    expect(doc.ok).toBe(true);
  });

  it('--json still scrubs a credential inside string values and keys', async () => {
    const io = memoryIo({ CLOUDFLARE_API_TOKEN: 'tok-SECRET-12345' });
    const secret = 'tok-SECRET-12345';
    const program = [
      (p: Command) => {
        p.command('echo').action(() => {
          throw new InputError(`bad token ${secret}`, { field: secret });
        });
      },
    ];
    expect(await main(['echo', '--json'], io, program)).toBe(EXIT_CODES.input);
    const text = io.out.join('\n');
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ ok: false, error: { message: 'bad token [REDACTED]', field: '[REDACTED]' } });
  });

  it.each([
    [['198.51.100.7', '--reason', 'r', '--bogus'], "unknown option '--bogus'"],
    [['198.51.100.7', '--bogus', '--reason', 'r'], "unknown option '--bogus'"],
    [['198.51.100.7', '--reason'], "option '--reason <text>' argument missing"],
  ])('a usage mistake in a step command is a refused run with exactly one record: %j', async (rest, said) => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-usage-'));
    writeFileSync(join(dir, 'firebreak.yml'), 'version: 1\n');
    const io = memoryIo({ USER: 't' }, dir);
    expect(await main(['block-ips', '--incident', 'INC-1', '--audit-file', 'a.jsonl', '--json', ...rest], io)).toBe(EXIT_CODES.input);
    expect(JSON.parse(io.out.join('\n'))).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining(said) } });
    const lines = readFileSync(join(dir, 'a.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ record: { step: 'block-ips', status: 'refused', incidentId: 'INC-1', error: { code: 'USAGE' } } });
  });

  it('a stray argument to a step command without positionals is a refused run too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-usage-'));
    writeFileSync(join(dir, 'firebreak.yml'), 'version: 1\n');
    const io = memoryIo({ USER: 't' }, dir);
    expect(await main(['sweep-expired', 'extra', '--audit-file', 'a.jsonl'], io)).toBe(EXIT_CODES.input);
    expect(io.err.join('\n')).toContain('too many arguments: extra');
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('a missing argument is a usage error, as JSON with --json', async () => {
    const io = memoryIo();
    expect(await main(['audit', 'verify', '--json'], io)).toBe(EXIT_CODES.input);
    expect(JSON.parse(io.out.join('\n'))).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining("missing required argument 'file'") } });
    expect(io.err).toEqual([]);
  });

  it('a provider message cannot rewrite the terminal: escape sequences, lone CR and bidi overrides are shown escaped', async () => {
    const io = memoryIo();
    const hostile = new ProviderError('waf said no\x1b[2K\rok: applied \u202edeilppa\x07', { provider: 'aws', operation: 'UpdateIPSet', status: 400, retryable: false });
    expect(await main(['boom'], io, [thrower(hostile)])).toBe(EXIT_CODES.provider);
    const text = io.err.join('\n');
    expect(text).not.toMatch(/[\x1b\x07\u202e]|\r(?!\n)/);
    expect(text).toContain('waf said no\\x1b[2K\\x0dok: applied \\u202edeilppa\\x07');
  });

  const cases: Array<[string, unknown, number, string]> = [
    ['InputError', new InputError('bad ttl', { field: 'ttl' }), EXIT_CODES.input, 'INPUT_INVALID'],
    ['ConfigError', new ConfigError('bad config', [{ file: 'f.yml', line: 3, column: 5, field: 'x', message: 'm' }]), EXIT_CODES.input, 'CONFIG_INVALID'],
    ['GuardError', new GuardError('too wide', { code: 'BLAST_RADIUS', hint: 'split it' }), EXIT_CODES.guard, 'BLAST_RADIUS'],
    ['ConflictError', new ConflictError('lock kept changing'), EXIT_CODES.conflict, 'CONFLICT'],
    ['ProviderError', new ProviderError('waf said no', { provider: 'aws', operation: 'UpdateIPSet', status: 500, retryable: true }), EXIT_CODES.provider, 'PROVIDER_ERROR'],
    ['PartialFailureError', new PartialFailureError('1 failed', { status: 'partial', outcomes: [] }), EXIT_CODES.partial, 'PARTIAL_FAILURE'],
    ['AuditChainError', new AuditChainError('line 3 broken'), EXIT_CODES.audit, 'AUDIT_CHAIN_BROKEN'],
    ['a plain Error', new TypeError('x is undefined'), EXIT_CODES.unexpected, 'UNEXPECTED'],
    ['a thrown string', 'oops', EXIT_CODES.unexpected, 'UNEXPECTED'],
    ['a thrown object', { weird: true }, EXIT_CODES.unexpected, 'UNEXPECTED'],
  ];
  for (const [name, error, code, errorCode] of cases) {
    it(`${name} exits ${code} and prints its code, message and hint`, async () => {
      const io = memoryIo();
      expect(await main(['boom'], io, [thrower(error)])).toBe(code);
      expect(io.err.join('\n')).toMatch(new RegExp(`^error ${errorCode}: `));
      expect(io.err.join('\n')).toContain('hint: ');
      const jio = memoryIo();
      expect(await main(['boom', '--json'], jio, [thrower(error)])).toBe(code);
      const doc = JSON.parse(jio.out.join('\n')) as { ok: boolean; error: Record<string, unknown> };
      expect(doc.ok).toBe(false);
      expect(doc.error.code).toBe(errorCode);
    });
  }

  it('JSON errors carry the details a script needs (field, problems, result, provider)', async () => {
    const run = async (e: unknown) => {
      const io = memoryIo();
      await main(['boom', '--json'], io, [thrower(e)]);
      return (JSON.parse(io.out.join('\n')) as { error: Record<string, unknown> }).error;
    };
    expect(await run(new InputError('bad', { field: 'ttl' }))).toMatchObject({ field: 'ttl' });
    expect(await run(new ConfigError('bad', [{ file: 'f', line: 1, column: 2, field: 'a', message: 'm' }]))).toMatchObject({ problems: [{ line: 1, column: 2 }] });
    expect(await run(new PartialFailureError('p', { status: 'partial' }))).toMatchObject({ result: { status: 'partial' } });
    expect(await run(new ProviderError('p', { provider: 'cloudflare', operation: 'lists.items.create', status: 429, retryable: true }))).toMatchObject({ provider: 'cloudflare', status: 429, retryable: true });
  });

  it('scrubs registered secrets from error output and never prints a cause', async () => {
    const io = memoryIo();
    io.redactor.register('tok_ABCDEF123456');
    const error = new ProviderError('request with tok_ABCDEF123456 failed', { provider: 'github', operation: 'x', retryable: false, cause: new Error('cause has tok_ABCDEF123456') });
    await main(['boom'], io, [thrower(error)]);
    await main(['boom', '--json'], io, [thrower(error)]);
    const all = [...io.out, ...io.err].join('\n');
    expect(all).not.toContain('tok_ABCDEF123456');
    expect(all).toContain('[REDACTED]');
    expect(all).not.toContain('cause has');
  });
});

describe('exit status a command reports through process.exitCode', () => {
  it('is returned by main (not overwritten with 0) and process.exitCode is left as it was', async () => {
    const { main: run } = await import('./main.js');
    const { memoryIo: mem } = await import('./io.js');
    process.exitCode = undefined;
    const code = await run(['handled-with-failure'], mem(), [
      (program) => {
        program.command('handled-with-failure').action(() => {
          process.exitCode = 6;
        });
      },
    ]);
    expect(code).toBe(6);
    expect(process.exitCode).toBeUndefined();
    expect(await run(['handled-ok'], mem(), [(program) => void program.command('handled-ok').action(() => {})])).toBe(0);
  });
});
