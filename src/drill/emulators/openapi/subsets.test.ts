import { describe, expect, it } from 'vitest';
import { extractProviderSubset, unicodeSafePattern } from '../../../../scripts/extract-provider-openapi.mjs';
import { ATLAS_HANDLERS } from '../atlas/handlers.js';
import { ATLAS_SNAPSHOT_HANDLERS } from '../atlas/handlers-snapshots.js';
import { VAULT_HANDLERS } from '../vault/handlers.js';
import { loadSubset } from './http-emulator.js';

const SUBSETS = [
  { name: 'vault', url: new URL('../vault/openapi-subset.json', import.meta.url), handlers: VAULT_HANDLERS, greedy: ['path', 'prefix'] },
  { name: 'atlas', url: new URL('../atlas/openapi-subset.json', import.meta.url), handlers: { ...ATLAS_HANDLERS, ...ATLAS_SNAPSHOT_HANDLERS }, greedy: undefined },
];

describe.each(SUBSETS)('the committed $name OpenAPI subset', ({ url, handlers, greedy }) => {
  const spec = loadSubset(url, greedy);

  it('has a handler for every operation and no handler outside it', () => {
    expect(Object.keys(handlers).sort()).toEqual(spec.operationIds().sort());
  });

  it('compiles every request and response schema (a validator that throws would answer 500 to real traffic)', () => {
    for (const id of spec.operationIds()) {
      const op = spec.operation(id);
      for (const [status, schema] of op.responses) if (schema) expect(() => spec.checkResponse(op, Number(status), {})).not.toThrow();
      if (op.requestBody) expect(() => spec.checkRequest(op, {}, new URLSearchParams(), {})).not.toThrow();
    }
  });

  it('records where it came from', () => {
    expect(spec.raw.info.source).toMatch(/^(hashicorp\/vault-client-go|mongodb\/atlas-sdk-go)@[0-9a-f]{40} /);
  });
});

describe('extract-provider-openapi', () => {
  it('keeps a character-class \\- and drops identity escapes unicode mode refuses', () => {
    expect(unicodeSafePattern('^sg\\-[a\\-z]\\:x\\.$')).toBe('^sg-[a\\-z]:x\\.$');
    expect(() => new RegExp(unicodeSafePattern('([0-9a-f]{1,4}\\:){7}|(sg\\-[a-f0-9]{8})'), 'u')).not.toThrow();
  });

  it('turns versioned Atlas media types into application/json and keeps the version per operation', () => {
    const spec = {
      openapi: '3.0.1',
      info: { version: '2.0' },
      paths: { '/x': { get: { operationId: 'getDatabaseUser', responses: { '200': { content: { 'application/vnd.atlas.2023-01-01+json': { schema: { type: 'object' } } } } } } } },
    };
    const snapshotPaths = {
      '/g': { get: { operationId: 'getGroupByName', responses: {} } },
      '/s': { get: { operationId: 'listBackupSnapshots', responses: {} }, post: { operationId: 'takeSnapshots', responses: {} } },
      '/s1': { get: { operationId: 'getClusterBackupSnapshot', responses: {} } },
    };
    const subset = extractProviderSubset('atlas', { ...spec, paths: { ...spec.paths, '/y': { patch: { operationId: 'updateDatabaseUser', responses: {} } }, '/z': { get: { operationId: 'getAccessListEntry', responses: {} }, delete: { operationId: 'deleteAccessListEntry', responses: {} } }, '/w': { get: { operationId: 'listAccessListEntries', responses: {} } }, ...snapshotPaths } }, 'test');
    const op = subset.paths['/x']!.get as { mediaType: string; responses: Record<string, { content: Record<string, unknown> }> };
    expect(op.mediaType).toBe('application/vnd.atlas.2023-01-01+json');
    expect(Object.keys(op.responses['200']!.content)).toEqual(['application/json']);
  });
});
