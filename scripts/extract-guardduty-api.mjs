// Extracts the subset of GuardDuty's API description that the drill's GuardDuty findings emulator
// serves (src/drill/emulators/guardduty), from the schema AWS generates into @aws-sdk/client-guardduty
// out of GuardDuty's Smithy model: each operation's HTTP binding, and the wire (JSON) names, types and
// required members of the shapes it reads and writes. Run: node scripts/extract-guardduty-api.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OPERATIONS = ['ListFindings', 'GetFindings'];
/** Shapes described member by member; anything else is named and left opaque. */
const DESCEND = new Set(['ListFindingsRequest', 'ListFindingsResponse', 'GetFindingsRequest', 'GetFindingsResponse', 'FindingCriteria', 'Condition', 'SortCriteria', 'Finding']);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const pkgPath = require.resolve('@aws-sdk/client-guardduty/package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
const schemas = require('@aws-sdk/client-guardduty');

const resolve = (ref) => (typeof ref === 'function' ? ref() : ref);
function typeOf(ref) {
  const s = resolve(ref);
  if (typeof s === 'number') {
    if (s === 0) return 'string';
    if (s === 1) return 'number';
    if (s === 2) return 'boolean';
    if (s === 4) return 'timestamp';
    if (s === 15) return 'document';
    if ((s & 64) === 64) return `list<${typeOf(s & ~64)}>`;
    if ((s & 128) === 128) return `map<string,${typeOf(s & ~128)}>`;
    return `primitive:${s}`;
  }
  if (Array.isArray(s)) {
    const [kind, , name] = s;
    // Lists: [1, ns, name, traits, [member, traits]]; maps: [2, ns, name, traits, [key, …], [value, …]].
    if (kind === 1) return `list<${typeOf(s[4][0])}>`;
    if (kind === 2) return `map<string,${typeOf(s[5][0])}>`;
    return name;
  }
  return 'unknown';
}

const shapes = {};
function describe(ref) {
  const s = resolve(ref);
  if (!Array.isArray(s)) return;
  const [kind, , name] = s;
  if (kind === 1) return describe(s[4][0]);
  if (kind === 2) return describe(s[5][0]);
  if (kind !== 3 || shapes[name] || !DESCEND.has(name)) return;
  const [, , , , names, members, required = 0] = s;
  const out = { members: {}, required: names.slice(0, required) };
  shapes[name] = out;
  names.forEach((m, i) => {
    const [target, traits] = Array.isArray(members[i]) ? members[i] : [members[i], 0];
    const jsonName = traits && typeof traits === 'object' ? traits.jsonName : undefined;
    out.members[m] = { json: jsonName ?? m, type: typeOf(target), ...(traits === 1 ? { location: 'label' } : {}) };
    describe(target);
  });
}

const operations = {};
for (const op of OPERATIONS) {
  const s = schemas[`${op}$`];
  const [, , , traits, input, output] = s;
  const http = Object.values(traits)[0];
  operations[op] = { method: http[0], path: http[1], status: http[2], input: resolve(input)[2], output: resolve(output)[2] };
  describe(input);
  describe(output);
}
const out = {
  source: `${pkg.name}@${pkg.version} schemas (AWS's Smithy model of GuardDuty, as the SDK ships it)`,
  operations,
  shapes,
};
writeFileSync(join(root, 'src/drill/emulators/guardduty/api-subset.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${Object.keys(operations).length} operations and ${Object.keys(shapes).length} shapes from ${pkg.name}@${pkg.version}`);
