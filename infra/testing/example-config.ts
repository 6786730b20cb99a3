/** The documented example stack config (Pulumi.example.yaml), as the `firebreak:` sections. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL('../Pulumi.example.yaml', import.meta.url));

export function readExampleSections(): Record<string, unknown> {
  const doc = parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as { config: Record<string, unknown> };
  const sections: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc.config)) {
    if (key.startsWith('firebreak:')) sections[key.slice('firebreak:'.length)] = value;
  }
  return sections;
}
