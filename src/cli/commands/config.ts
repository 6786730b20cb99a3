import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseConfig } from '../../core/config/parse.js';
import type { FirebreakConfig } from '../../core/config/schema.js';
import { ConfigError } from '../../core/errors.js';
import { DEFAULT_CONFIG_FILE, readConfigBytes } from '../../runtime/config-file.js';
import { ENV } from '../../runtime/env.js';
import { globalsOf, ioOf, printJson } from '../io.js';

/** `firebreak config check [FILE]`: validate firebreak.yml before an incident needs it. */
export function register(program: Command): void {
  const config = program.command('config').description('work with firebreak.yml');
  config
    .command('check')
    .description('validate firebreak.yml; each problem is printed as file:line:col field: message')
    .argument('[file]', `config file (default: $${ENV.configFile} or ./${DEFAULT_CONFIG_FILE})`)
    .action(async (file: string | undefined, _opts: unknown, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const shown = file ?? io.env[ENV.configFile] ?? DEFAULT_CONFIG_FILE;
      let text: Uint8Array;
      try {
        text = await readConfigBytes(resolve(io.cwd, shown));
      } catch (error) {
        const message = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
        throw new ConfigError(`cannot read ${shown}: ${message}`, [{ file: shown, line: 0, column: 0, field: '', message }], {
          hint: 'Copy firebreak.example.yml to firebreak.yml and edit it, or pass the path: `firebreak config check path/to/firebreak.yml`.',
        });
      }
      let parsed: FirebreakConfig;
      try {
        parsed = parseConfig(text, shown);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        if (!json) for (const p of error.problems) io.stderr(`${p.file}:${p.line}:${p.column} ${p.field}: ${p.message}`);
        throw new ConfigError(`${error.problems.length} problem(s) in ${shown}`, error.problems, {
          hint: 'Fix each line named above and run `firebreak config check` again. firebreak.example.yml documents every field.',
        });
      }
      const summary = summarise(parsed);
      if (json) printJson(io, { ok: true, file: shown, summary });
      else io.stdout(`ok ${shown}: ${Object.entries(summary).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    });
}

/** One short fact per section, so a responder sees the file they meant was read. */
function summarise(config: FirebreakConfig): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(config)) {
    if (Array.isArray(value)) out[key] = `${value.length} entr${value.length === 1 ? 'y' : 'ies'}`;
    else if (value !== null && typeof value === 'object') {
      const name = (value as Record<string, unknown>).name;
      out[key] = typeof name === 'string' ? name : `${Object.keys(value).length} setting(s)`;
    } else out[key] = String(value);
  }
  return out;
}
