import { describe, expect, it } from 'vitest';
import { extractSubset, OPERATIONS } from '../../../../scripts/extract-github-openapi.mjs';
import { HANDLERS } from './handlers.js';
import { GIT_HANDLERS } from './handlers-git.js';
import { GitHubSpec, toJsonSchema } from './spec.js';

const spec = GitHubSpec.load();

describe('committed OpenAPI subset', () => {
  it('holds exactly the operations the extract script lists, each with a handler', () => {
    expect(spec.operationIds().sort()).toEqual([...OPERATIONS].sort());
    expect(Object.keys({ ...HANDLERS, ...GIT_HANDLERS }).sort()).toEqual([...OPERATIONS].sort());
  });

  it('routes literal segments before parameters and decodes slashes in paths and refs', () => {
    expect(spec.match('GET', '/repos/o/r/actions/secrets/public-key')?.op.operationId).toBe('actions/get-repo-public-key');
    expect(spec.match('GET', '/repos/o/r/actions/secrets/DB')?.params.secret_name).toBe('DB');
    expect(spec.match('PUT', '/repos/o/r/contents/docs%2Fpm%2Fa.md')?.params.path).toBe('docs/pm/a.md');
    expect(spec.match('GET', '/repos/o/r/git/ref/heads/postmortem/inc-1')?.params.ref).toBe('heads/postmortem/inc-1');
    expect(spec.match('GET', '/repos/o/r/branches')).toBeUndefined();
    expect(spec.match('DELETE', '/repos/o/r/issues/1')).toBeUndefined();
  });

  it('checks request bodies and coerces query parameters', () => {
    const put = spec.operation('actions/create-or-update-repo-secret');
    const params = { owner: 'o', repo: 'r', secret_name: 'X' };
    expect(spec.checkRequest(put, params, new URLSearchParams(), { key_id: '1' }).errors).toEqual(["body must have required property 'encrypted_value'"]);
    expect(spec.checkRequest(put, params, new URLSearchParams(), { key_id: '1', encrypted_value: 'not base64!' }).errors[0]).toMatch(/pattern/);
    expect(spec.checkRequest(put, params, new URLSearchParams(), undefined).errors).toEqual(['request body is required']);
    const list = spec.operation('issues/list-for-repo');
    const ok = spec.checkRequest(list, { owner: 'o', repo: 'r' }, new URLSearchParams('per_page=5&labels=a,b'), undefined);
    expect(ok).toMatchObject({ errors: [], query: { per_page: 5, labels: 'a,b', state: 'open' } });
    expect(spec.checkRequest(list, { owner: 'o', repo: 'r' }, new URLSearchParams('per_page=x'), undefined).errors[0]).toMatch(/per_page.*integer/);
  });

  it('checks responses: declared schemas, no-body statuses, undeclared success codes, errors as basic-error', () => {
    const label = spec.operation('issues/get-label');
    const good = { id: 1, node_id: 'x', url: 'http://h/l', name: 'a', description: null, color: 'ededed', default: false };
    expect(spec.checkResponse(label, 200, good).errors).toEqual([]);
    expect(spec.checkResponse(label, 200, { ...good, color: 5 }).errors[0]).toMatch(/color must be string/);
    expect(spec.checkResponse(label, 200, { ...good, description: undefined }).errors[0]).toMatch(/description/);
    expect(spec.checkResponse(label, 201, good).errors[0]).toMatch(/not declared/);
    expect(spec.checkResponse(label, 404, { message: 'Not Found' })).toEqual({ declared: true, errors: [] });
    expect(spec.checkResponse(label, 401, { message: 'Bad credentials' })).toEqual({ declared: false, errors: [] });
    const del = spec.operation('actions/delete-repo-secret');
    expect(spec.checkResponse(del, 204, undefined).errors).toEqual([]);
    expect(spec.checkResponse(del, 204, {}).errors[0]).toMatch(/no body/);
  });
});

describe('toJsonSchema (OpenAPI 3.0 → ajv)', () => {
  it('turns nullable into a null type, null enum member, or anyOf', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, enum: ['a'] })).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(toJsonSchema({ $ref: '#/components/schemas/x', nullable: true })).toEqual({ anyOf: [{ $ref: 'github.json#/components/schemas/x' }, { type: 'null' }] });
    expect(toJsonSchema({ oneOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }] });
  });

  it('leaves property names alone, even when they look like keywords', () => {
    const out = toJsonSchema({ type: 'object', properties: { nullable: { type: 'boolean' }, oneOf: { type: 'string', nullable: true } } });
    expect(out).toEqual({ type: 'object', properties: { nullable: { type: 'boolean' }, oneOf: { type: ['string', 'null'] } } });
  });
});

describe('extractSubset', () => {
  const upstream = {
    openapi: '3.0.3',
    info: { version: '1.1.4' },
    paths: {
      '/repos/{owner}/{repo}/labels/{name}': {
        get: {
          operationId: 'issues/get-label',
          summary: 'Get a label',
          description: 'long prose',
          parameters: [{ $ref: '#/components/parameters/owner' }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/label' }, examples: { x: {} } } } } },
          'x-github': { category: 'issues' },
        },
      },
      '/other': { get: { operationId: 'other/op', responses: { '200': { $ref: '#/components/responses/unused' } } } },
    },
    components: {
      parameters: { owner: { name: 'owner', in: 'path', required: true, schema: { type: 'string' } } },
      schemas: {
        label: { type: 'object', description: 'A label', properties: { description: { type: 'string', description: 'prose' }, owner: { $ref: '#/components/schemas/user' } } },
        user: { type: 'object', title: 'User', properties: { login: { type: 'string' } } },
        unrelated: { type: 'string' },
      },
      responses: { unused: { description: 'x' } },
    },
  };

  it('keeps the listed operations and every component they reach, without prose', () => {
    const subset = extractSubset(upstream, ['issues/get-label'], { source: 'test' });
    expect(Object.keys(subset.paths)).toEqual(['/repos/{owner}/{repo}/labels/{name}']);
    expect(Object.keys(subset.components.schemas ?? {})).toEqual(['label', 'user']);
    expect(subset.components.responses).toBeUndefined();
    expect(subset.components.schemas?.label).toEqual({
      type: 'object',
      properties: { description: { type: 'string' }, owner: { $ref: '#/components/schemas/user' } },
    });
    const op = subset.paths['/repos/{owner}/{repo}/labels/{name}']?.get as Record<string, unknown>;
    expect(op).not.toHaveProperty('summary');
    expect(op).not.toHaveProperty('x-github');
    expect(subset.info).toEqual({ title: 'firebreak subset of the GitHub REST API', version: '1.1.4', source: 'test' });
  });

  it('fails on an operation the upstream description does not have', () => {
    expect(() => extractSubset(upstream, ['issues/get-label', 'issues/nope'], { source: 'test' })).toThrow(/issues\/nope/);
  });
});
