import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FirebreakConfig } from '../core/config/schema.js';
import { fleetTargetsFile } from '../core/config/sections/fleet.js';
import { ConfigError } from '../core/errors.js';
import { fleetTargets, type FleetTarget } from '../core/fleet/targets.js';

/**
 * Every fleet target: the file the stack-reference layer generated (`fleet.targets_file`, relative
 * to firebreak.yml) plus `fleet.targets`. A missing or malformed file is a ConfigError naming it,
 * never an empty fleet.
 */
export async function loadFleetTargets(config: FirebreakConfig, configPath: string): Promise<FleetTarget[]> {
  const entries = [...config.fleet.targets];
  const file = config.fleet.targets_file;
  if (file) {
    const path = resolve(dirname(configPath), file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`fleet.targets_file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message}`, [], {
        hint: 'Generate it from the kit\'s stacks: `pulumi stack output` per stack via infra/fleet-targets.ts (docs/operators/fleet.md).',
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`fleet.targets_file ${file} is not JSON: ${(error as Error).message}`, []);
    }
    const parsed = fleetTargetsFile.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => ({ file, line: 0, column: 0, field: i.path.join('.'), message: i.message }));
      throw new ConfigError(`fleet.targets_file ${file}: ${problems.length} problem(s): ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
    }
    entries.push(...parsed.data.targets);
  }
  if (entries.length === 0) throw new ConfigError('no fleet targets: set fleet.targets_file or fleet.targets in firebreak.yml', [], { hint: 'docs/operators/fleet.md shows both.' });
  return fleetTargets(entries);
}
