import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadConfigFile } from './config-file.js';

const dir = mkdtempSync(join(tmpdir(), 'firebreak-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const from = { env: {}, cwd: dir };

async function refusal(file: string): Promise<ConfigError> {
  const error = await loadConfigFile(file, from).then(
    () => expect.unreachable('expected a ConfigError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadConfigFile: bounded reads, strict UTF-8', () => {
  it('refuses a 50 MB file by its size, naming the limit (the file is sparse: nothing is built)', async () => {
    const path = join(dir, 'huge.yml');
    const handle = await open(path, 'w');
    await handle.write('version: 1\nprotected_ranges:\n  - 10.0.0.0/8\n');
    await handle.truncate(50 * 1024 * 1024);
    await handle.close();
    const error = await refusal('huge.yml');
    expect(error.problems).toEqual([
      { file: 'huge.yml', line: 1, column: 1, field: '', message: 'config is more than 1 MiB; the limit is 1 MiB (1048576 bytes). Is this the right file?' },
    ]);
    expect(error.message).toBe('huge.yml:1:1 : config is more than 1 MiB; the limit is 1 MiB (1048576 bytes). Is this the right file?');
  });

  it('refuses a Latin-1 file with the byte offset of the first bad byte (the old reader turned it into U+FFFD and accepted it)', async () => {
    const head = 'version: 1\nprotected_ranges:\n  - cidr: 192.0.2.0/24\n    label: "caf';
    writeFileSync(join(dir, 'latin1.yml'), Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from([0xe9]), Buffer.from('"\n', 'latin1')]));
    const error = await refusal('latin1.yml');
    expect(error.problems).toEqual([
      { file: 'latin1.yml', line: 4, column: 16, field: '', message: `not valid UTF-8: byte 0xE9 at byte offset ${head.length}; save the file as UTF-8` },
    ]);
  });

  it('reads a UTF-8 file with multi-byte labels as before', async () => {
    writeFileSync(join(dir, 'ok.yml'), 'version: 1\nprotected_ranges:\n  - cidr: 192.0.2.0/24\n    label: "café 😀"\n');
    expect((await loadConfigFile('ok.yml', from)).protected_ranges).toEqual([{ cidr: '192.0.2.0/24', label: 'café 😀' }]);
  });

  it('an alias bomb in a file is a ConfigError with its position, not an unexpected error', async () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcde'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcd'[i]}`).join(', ')}]`)];
    writeFileSync(join(dir, 'bomb.yml'), `version: 1\n${rows.join('\n')}\n`);
    const error = await refusal('bomb.yml');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.line).toBeGreaterThan(2);
    expect(error.problems[0]!.message).toMatch(/^alias \*[a-d] expands its anchor too often/);
  });
});
