/**
 * `npm run generate`: writes every generated shell from src/capabilities (action.yml + README per
 * action, generated workflows, docs/capabilities.md). `--check` writes nothing and exits 1 listing
 * the stale files (npm test runs the same comparison as a test).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from '../src/capabilities/generated-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [file, text] of generatedFiles(root)) {
  const path = resolve(root, file);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  stale.push(file);
  if (!check) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}
if (check && stale.length) {
  process.stderr.write(`stale generated files (run \`npm run generate\`):\n${stale.map((f) => `  ${f}`).join('\n')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(stale.length ? `wrote ${stale.length} file(s):\n${stale.map((f) => `  ${f}`).join('\n')}\n` : 'generated files are current\n');
}
