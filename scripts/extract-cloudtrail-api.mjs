// Extracts the subset of CloudTrail's API description that the drill's CloudTrail events emulator
// serves (src/drill/emulators/cloudtrail), from the schema AWS generates into @aws-sdk/client-cloudtrail
// out of CloudTrail's Smithy model: the operation's JSON 1.1 target, the members, types and required
// members of the shapes it reads and writes, and the enums it checks. moto 5.2.1 has no LookupEvents.
// Run: node scripts/extract-cloudtrail-api.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OPERATIONS = ['LookupEvents'];
/** Shapes described member by member; anything else is named and left opaque. */
const DESCEND = new Set(['LookupEventsRequest', 'LookupEventsResponse', 'LookupAttribute', 'Event', 'Resource']);
/** Enums the emulator checks (string enums are not in the schema; the SDK exports their values). */
const ENUMS = ['LookupAttributeKey', 'EventCategory'];
/** The errors the emulator answers with (wire code and HTTP status from the model). */
const ERRORS = ['InvalidLookupAttributesException', 'InvalidTimeRangeException', 'InvalidMaxResultsException', 'InvalidNextTokenException', 'InvalidEventCategoryException'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const pkg = JSON.parse(readFileSync(require.resolve('@aws-sdk/client-cloudtrail/package.json'), 'utf8'));
const schemas = require('@aws-sdk/client-cloudtrail');

const resolve = (ref) => (typeof ref === 'function' ? ref() : ref);
function typeOf(ref) {
  const s = resolve(ref);
  if (typeof s === 'number') {
    if (s === 0) return 'string';
    if (s === 1) return 'number';
    if (s === 2) return 'boolean';
    if (s === 4) return 'timestamp';
    if ((s & 64) === 64) return `list<${typeOf(s & ~64)}>`;
    return `primitive:${s}`;
  }
  if (Array.isArray(s)) {
    const [kind, , name] = s;
    // Lists: [1, ns, name, traits, member] (member either a ref or [ref, traits]).
    if (kind === 1) return `list<${typeOf(Array.isArray(s[4]) ? s[4][0] : s[4])}>`;
    return name;
  }
  return 'unknown';
}

const shapes = {};
function describe(ref) {
  const s = resolve(ref);
  if (!Array.isArray(s)) return;
  const [kind, , name] = s;
  if (kind === 1) return describe(Array.isArray(s[4]) ? s[4][0] : s[4]);
  if (kind !== 3 || shapes[name] || !DESCEND.has(name)) return;
  const [, , , , names, members, required = 0] = s;
  const out = { members: {}, required: names.slice(0, required) };
  shapes[name] = out;
  names.forEach((m, i) => {
    const target = Array.isArray(members[i]) ? members[i][0] : members[i];
    out.members[m] = { type: typeOf(target) };
    describe(target);
  });
}

// The JSON 1.1 X-Amz-Target is `<service shape>.<operation>`; the SDK's protocol knows the service shape.
const serviceTarget = new schemas.CloudTrailClient({ region: 'us-east-1' }).config.protocol.serviceTarget;
const operations = {};
for (const op of OPERATIONS) {
  const [, , name, , input, output] = schemas[`${op}$`];
  operations[op] = { target: `${serviceTarget}.${name}`, input: resolve(input)[2], output: resolve(output)[2] };
  describe(input);
  describe(output);
}
const enums = Object.fromEntries(ENUMS.map((e) => [e, Object.values(schemas[e])]));
const errors = Object.fromEntries(ERRORS.map((e) => [e, { status: schemas[`${e}$`][3].httpError }]));
const out = { source: `${pkg.name}@${pkg.version} schemas (AWS's Smithy model of CloudTrail, as the SDK ships it)`, protocol: 'awsJson1_1', operations, shapes, enums, errors };
writeFileSync(join(root, 'src/drill/emulators/cloudtrail/api-subset.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${Object.keys(operations).length} operation(s) and ${Object.keys(shapes).length} shapes from ${pkg.name}@${pkg.version}`);
