import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { CONFIG_LIMITS } from '../core/config/config-limits.js';
import { defaultConfig } from '../core/config/defaults.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import { ENV } from './env.js';

export const DEFAULT_CONFIG_FILE = 'firebreak.yml';

/** Where a config path is resolved: the process for actions, a command's io for the CLI. */
export interface ConfigSource {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/**
 * `file`, else $FIREBREAK_CONFIG, else ./firebreak.yml when present, else the schema's defaults.
 * An explicitly named file must exist. Paths resolve against `cwd` and are shown as given, so
 * errors read `firebreak.yml:3:5`. The one config loader of the actions, the CLI and the drill.
 * The YAML parser and the schema are loaded only when there is a file to parse: an action run
 * without a firebreak.yml does not compile them (cold start, see docs/bundles.md).
 */
export async function loadConfigFile(file?: string, from: ConfigSource = { env: process.env, cwd: process.cwd() }): Promise<FirebreakConfig> {
  const explicit = file ?? from.env[ENV.configFile];
  const shown = explicit ?? DEFAULT_CONFIG_FILE;
  let bytes: Uint8Array;
  try {
    bytes = await readConfigBytes(resolve(from.cwd, shown));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && explicit === undefined) return defaultConfig();
    const message = code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError(`cannot read config ${shown}: ${message}`, [{ file: shown, line: 0, column: 0, field: '', message }], {
      hint: 'Pass an existing file (--config, or FIREBREAK_CONFIG), or run `firebreak config check FILE` to see what is wrong.',
    });
  }
  const { parseConfig } = await import('../core/config/parse.js');
  return parseConfig(bytes, shown);
}

/**
 * Reads at most one byte past the size limit, so a huge file (or /dev/zero) costs 1 MiB of reading
 * and is refused by parseConfig with the limit named; the bytes are decoded there, strictly.
 */
export async function readConfigBytes(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(CONFIG_LIMITS.maxBytes + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
