import { describe, expect, it } from 'vitest';
import { checkParameters, documentName, renderDocument, RUN_COMMAND_CATALOGUE, type SchemaParameter } from './catalogue.js';

const entry = (name: string) => RUN_COMMAND_CATALOGUE.find((e) => e.name === name)!;
const schemaOf = (name: string) => (renderDocument(entry(name)) as { parameters: Record<string, SchemaParameter> }).parameters;

describe('run-command catalogue', () => {
  it('every parameter is typed: a pattern or a list of values, and no pattern admits a quote, a substitution or a separator', () => {
    const hostile = ["a'b", 'a$b', 'a`b', 'a;b', 'a|b', 'a&b', 'a\nb', 'a b', 'a"b', '$(id)', "x'; rm -rf / #"];
    for (const e of RUN_COMMAND_CATALOGUE) {
      for (const [key, p] of Object.entries(e.parameters)) {
        expect(p.allowedPattern !== undefined || p.allowedValues !== undefined, `${e.name}.${key}`).toBe(true);
        if (p.allowedPattern === undefined) continue;
        expect(p.allowedPattern.startsWith('^') && p.allowedPattern.endsWith('$'), `${e.name}.${key} is anchored`).toBe(true);
        for (const h of hostile) expect(new RegExp(p.allowedPattern, 'u').test(h), `${e.name}.${key} refuses ${JSON.stringify(h)}`).toBe(false);
      }
      // Every {{ name }} in the script is a declared parameter, each inside single quotes.
      for (const line of e.script) {
        for (const m of line.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) expect(Object.keys(e.parameters), `${e.name}: ${line}`).toContain(m[1]);
      }
    }
  });

  it('renders SSM schema 2.2 Command documents named <prefix>-<PascalName>', () => {
    expect(documentName('firebreak', entry('postgres-long-queries'))).toBe('firebreak-PostgresLongQueries');
    const doc = renderDocument(entry('host-health')) as { schemaVersion: string; parameters: Record<string, unknown>; mainSteps: Array<{ action: string }> };
    expect(doc.schemaVersion).toBe('2.2');
    expect(doc.mainSteps[0]!.action).toBe('aws:runShellScript');
    expect(doc.parameters['unit']).toMatchObject({ type: 'String', default: 'docker' });
  });

  it('checks values against the schema and the entry, fills defaults, refuses unknown and missing parameters', () => {
    expect(checkParameters(entry('postgres-long-queries'), schemaOf('postgres-long-queries'), { database: 'shop' })).toEqual({ values: { database: 'shop', minutes: '5', mode: 'list' } });
    const bad = checkParameters(entry('postgres-long-queries'), schemaOf('postgres-long-queries'), { database: "shop'; drop", minutes: '0', mode: 'kill', extra: 'x' });
    expect('problems' in bad && bad.problems).toEqual([
      'extra: not a parameter of postgres-long-queries (it takes database, minutes, mode)',
      `database: "shop'; drop" does not match ^[A-Za-z_][A-Za-z0-9_]{0,62}$`,
      'minutes: "0" does not match ^[1-9][0-9]{0,2}$',
      'mode: "kill" is not one of list, terminate',
    ]);
    const missing = checkParameters(entry('docker-compose-restart'), schemaOf('docker-compose-restart'), { projectDir: '/srv/../etc' });
    expect('problems' in missing && missing.problems).toEqual(['projectDir: must not contain . or .. segments', 'service: required (compose service to restart)']);
  });

  it('the schema it is given decides too: a value the catalogue allows but the provisioned document does not is refused', () => {
    const narrowed = { ...schemaOf('host-health'), unit: { type: 'String', allowedPattern: '^nginx$' } };
    expect(checkParameters(entry('host-health'), narrowed, { unit: 'docker' })).toEqual({ problems: ['unit: "docker" does not match ^nginx$'] });
  });
});
