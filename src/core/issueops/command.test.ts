import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { defineInputs } from '../inputs.js';
import { commandLineOf, parseSlashCommand, type CommandTarget } from './command.js';
import { tokenizeCommandLine } from './tokenize.js';
import { atLeast, roleOf } from './permission.js';

const blockIps: CommandTarget = {
  slug: 'block-ips',
  inputs: defineInputs({
    addresses: { kind: 'text', required: true, description: 'a', cli: { positional: true, variadic: true } },
    reason: { kind: 'text', required: true, description: 'r' },
    ttl: { kind: 'text', description: 't' },
    target: { kind: 'choice', options: ['all', 'waf'], default: 'all', description: 'x' },
  }),
};
const postUpdate: CommandTarget = {
  slug: 'post-update',
  cliAliases: ['update-status'],
  inputs: defineInputs({ text: { kind: 'text', description: 't' }, facts: { kind: 'text', description: 'f', cli: { file: true } }, token: { kind: 'text', secret: true, description: 's' } }),
};
const classify: CommandTarget = { slug: 'classify', inputs: defineInputs({ severity: { kind: 'text', description: 's' }, unsure: { kind: 'flag', description: 'u' } }) };
const TARGETS = [blockIps, postUpdate, classify];

function refusal(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  return expect.unreachable('expected an InputError');
}

describe('tokenizeCommandLine', () => {
  it('splits words, keeps quoted spaces, expands nothing', () => {
    expect(tokenizeCommandLine(`a "b c" 'd $HOME' e\\ f "$(id)" \`x\` ~ *`)).toEqual(['a', 'b c', 'd $HOME', 'e f', '$(id)', '`x`', '~', '*']);
  });
  it('reads escapes inside double quotes and typographic quotes', () => {
    expect(tokenizeCommandLine(`"say \\"hi\\"" “smart quotes” ‘single’ ""`)).toEqual(['say "hi"', 'smart quotes', 'single', '']);
  });
  it('refuses unterminated quotes, trailing backslashes, control and bidi characters, and long lines', () => {
    expect(refusal(() => tokenizeCommandLine('a "b')).code).toBe('COMMAND_UNTERMINATED');
    expect(refusal(() => tokenizeCommandLine('a b\\')).code).toBe('COMMAND_UNTERMINATED');
    expect(refusal(() => tokenizeCommandLine('a\u0000b')).code).toBe('COMMAND_CONTROL_CHARACTER');
    expect(refusal(() => tokenizeCommandLine('a \u202eb')).code).toBe('COMMAND_CONTROL_CHARACTER');
    expect(refusal(() => tokenizeCommandLine('a'.repeat(2001))).code).toBe('COMMAND_TOO_LONG');
  });
});

describe('commandLineOf', () => {
  it('is the first non-empty line when it starts with /firebreak', () => {
    expect(commandLineOf('\n  /firebreak ack\nthanks')).toBe('ack');
    expect(commandLineOf('/firebreak')).toBe('');
  });
  it('ignores quotes of commands, later lines and look-alike words', () => {
    expect(commandLineOf('> /firebreak block-ips 1.2.3.4 --apply')).toBeUndefined();
    expect(commandLineOf('see below\n/firebreak ack')).toBeUndefined();
    expect(commandLineOf('/firebreakers unite')).toBeUndefined();
  });
});

describe('parseSlashCommand', () => {
  it('maps words through the capability schema like the CLI', () => {
    const c = parseSlashCommand('block-ips 203.0.113.7 198.51.100.0/24 --ttl 4h --reason "decoy hit" --apply', TARGETS, 'alice');
    expect(c).toEqual({ capability: 'block-ips', typed: 'block-ips', raw: { addresses: ['203.0.113.7', '198.51.100.0/24'], ttl: '4h', reason: 'decoy hit' }, apply: true, overrides: [] });
  });
  it('takes --name=value, overrides in pairs, and CLI aliases', () => {
    const c = parseSlashCommand('block-ips 10.0.0.0/8 --reason=x --override-guard BREADTH_EXCEEDED --override-reason "IC approved"', TARGETS, 'a');
    expect(c.overrides).toEqual([{ guard: 'BREADTH_EXCEEDED', reason: 'IC approved' }]);
    expect(c.apply).toBe(false);
    expect(parseSlashCommand('update-status --text hi', TARGETS, 'a').capability).toBe('post-update');
  });
  it('expands ack, update and severity', () => {
    expect(parseSlashCommand('ack', TARGETS, 'bob')).toMatchObject({ capability: 'post-update', typed: 'ack', raw: { text: 'Acknowledged by @bob.' } });
    expect(parseSlashCommand('update "Mitigated; watching" --apply', TARGETS, 'bob')).toMatchObject({ capability: 'post-update', raw: { text: 'Mitigated; watching' }, apply: true });
    expect(parseSlashCommand('severity SEV1', TARGETS, 'bob')).toMatchObject({ capability: 'classify', raw: { severity: 'SEV1' } });
  });
  it('refuses what a comment must not do', () => {
    for (const line of [
      '',
      'rm -rf /',
      'ack now',
      'update',
      'severity --apply',
      'block-ips 1.2.3.4 --nope x',
      'block-ips 1.2.3.4 --incident INC-1',
      'post-update --facts /etc/passwd',
      'post-update --token abc',
      'block-ips 1.2.3.4 --ttl',
      'block-ips 1.2.3.4 --ttl 1h --ttl 2h',
      'block-ips 1.2.3.4 --override-guard X',
      'block-ips 1.2.3.4 --apply=false',
      'classify --unsure=yes',
    ]) {
      expect(refusal(() => parseSlashCommand(line, TARGETS, 'a')).code, line).toBe('USAGE');
    }
  });
});

describe('permissions', () => {
  it('reads role_name first, then the base permission; unknown is none', () => {
    expect(roleOf({ permission: 'write', role_name: 'maintain' })).toBe('maintain');
    expect(roleOf({ permission: 'read', role_name: 'custom-auditor' })).toBe('read');
    expect(roleOf({ permission: 'weird' })).toBe('none');
    expect(atLeast('triage', 'write')).toBe(false);
    expect(atLeast('admin', 'write')).toBe(true);
  });
});

describe('--environment', () => {
  const target = { slug: 'block-ips', inputs: { addresses: { kind: 'text', description: 'a', cli: { positional: true, variadic: true } }, reason: { kind: 'text', description: 'r' } } } as const;
  it('is read as the gate of the apply job, never as a step input; twice is refused', () => {
    const c = parseSlashCommand('block-ips 203.0.113.7 --environment prod-us --reason x', [target], 'alice');
    expect(c.environment).toBe('prod-us');
    expect(c.raw).toEqual({ addresses: ['203.0.113.7'], reason: 'x' });
    expect(parseSlashCommand('block-ips 203.0.113.7', [target], 'alice').environment).toBeUndefined();
    expect(() => parseSlashCommand('block-ips 1.2.3.4 --environment a --environment b', [target], 'alice')).toThrow(/--environment is given twice/);
  });
});
