import { readFile } from 'node:fs/promises';
import { ConfigError } from '../core/errors.js';
import { parseConfig } from '../core/config/parse.js';
import type { FirebreakConfig } from '../core/config/schema.js';

export const DEFAULT_CONFIG_FILE = 'firebreak.yml';

/** Reads and validates the config; a missing default file yields the schema's defaults. */
export async function loadConfigFile(file?: string): Promise<FirebreakConfig> {
  const path = file ?? process.env.FIREBREAK_CONFIG ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && file === undefined && process.env.FIREBREAK_CONFIG === undefined) {
      return parseConfig('version: 1\n', '(defaults)');
    }
    throw new ConfigError(`cannot read config ${path}: ${(error as Error).message}`, [
      { file: path, line: 0, column: 0, field: '', message: (error as Error).message },
    ]);
  }
  return parseConfig(text, path);
}
