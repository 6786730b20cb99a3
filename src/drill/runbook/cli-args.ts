import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapabilityDefinition } from '../../capabilities/types.js';
import { InputError } from '../../core/errors.js';
import { publicName } from '../../core/inputs.js';

/**
 * The command line a responder would type for one drill step: the runbook's `with:` as the
 * capability's own flags and arguments (the same names as the workflow form), plus the run options.
 * A `file` input (declare's facts) is written to a file in the drill's work dir, as a responder
 * would keep it next to the command.
 */
export interface RunOptions {
  configFile: string;
  auditFile: string;
  incidentId: string | undefined;
  workDir: string;
  index: number;
  /** More run options (a guard override with its reason, for the staging drill's closing). */
  extra?: readonly string[];
}

export async function cliArgs(cap: CapabilityDefinition, input: Readonly<Record<string, unknown>>, run: RunOptions): Promise<string[]> {
  const fields = Object.entries(cap.inputs).map(([key, field]) => ({ key, field, name: publicName(key, field) }));
  const positional = new Map<string, string>();
  const flags: string[] = [];
  const unknown: string[] = [];
  for (const [given, value] of Object.entries(input)) {
    if (given === 'incident' || given === 'incident-id' || given === 'apply') continue;
    const f = fields.find((x) => x.name === given || x.key === given);
    if (!f) {
      unknown.push(given);
      continue;
    }
    const { field, name } = f;
    const text = Array.isArray(value) ? value.map(String).join('\n') : String(value);
    if (field.cli && field.cli.positional) {
      positional.set(f.key, text);
    } else if (field.kind === 'flag') {
      const on = value === true || text === 'true';
      if (on) flags.push(`--${name}`);
      else if (field.default === true) flags.push(`--no-${name}`);
    } else if (field.cli && field.cli.file) {
      const path = join(run.workDir, `step-${run.index + 1}-${name}.txt`);
      await writeFile(path, text);
      flags.push(`--${name}`, path);
    } else if (field.cli && field.cli.repeatable && Array.isArray(value)) {
      for (const v of value) flags.push(`--${name}`, String(v));
    } else {
      flags.push(`--${name}`, text);
    }
  }
  if (unknown.length) {
    throw new InputError(`unknown input ${unknown.join(', ')}; ${cap.slug} takes ${fields.map((f) => f.name).join(', ') || 'no inputs'}`, { code: 'INPUT_UNKNOWN' });
  }
  // Positional arguments in the schema's order, whatever order the runbook wrote them in.
  const ordered = fields.filter((f) => positional.has(f.key)).map((f) => positional.get(f.key)!);
  const args = [cap.slug, ...ordered, ...flags, '--apply', '--json', '--config', run.configFile, '--audit-file', run.auditFile, '--actor', 'firebreak-drill'];
  if (cap.incident !== 'creates' && run.incidentId) args.push('--incident', run.incidentId);
  return [...args, ...(run.extra ?? [])];
}
