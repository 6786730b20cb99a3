import { parse } from 'yaml';
import { InputError } from './errors.js';

/** YAML (or JSON) text from an input → value; empty → undefined. A syntax error names the input. */
export function parseYamlInput(text: unknown, field: string): unknown {
  if (typeof text !== 'string' || !text.trim()) return undefined;
  try {
    // Aliases are never needed in an input; a bomb of them is refused rather than expanded.
    return parse(text, { maxAliasCount: 0 });
  } catch (error) {
    throw new InputError(`${field}: not valid YAML: ${(error as Error).message.split('\n')[0]}`, { field });
  }
}
