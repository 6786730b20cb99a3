import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStatuspageEmulator, type StatuspageEmulator } from './server.js';

/**
 * The Statuspage emulator answers only what the published OpenAPI document allows: its subset is
 * extracted by scripts/extract-notify-specs.mjs from the vendored parts of the document (origin
 * recorded; the extraction is re-checked in google-chat/server.int.test.ts), and a request off
 * that description is refused with 422 and recorded as a violation.
 */
const ROOT = new URL('../../../../', import.meta.url);
const read = (p: string) => JSON.parse(readFileSync(new URL(p, ROOT), 'utf8')) as Record<string, any>;

let sp: StatuspageEmulator;
beforeAll(async () => {
  sp = await startStatuspageEmulator({ pageId: 'page1', apiKey: 'key-1', components: ['cmp1'] });
});
afterAll(async () => sp?.close());
beforeEach(() => {
  sp.violations.length = 0;
});

const call = (method: string, path: string, body: unknown) =>
  fetch(`${sp.url}/v1/pages/page1${path}`, { method, headers: { authorization: 'OAuth key-1', 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Statuspage subset comes from the OpenAPI document', () => {
  it('names its origin and carries the operations of the vendored document, nothing hand-written', () => {
    const subset = read('src/drill/emulators/statuspage/spec-subset.json');
    const source = read('src/drill/emulators/statuspage/published-source.json');
    expect(subset.source.hand).toBeUndefined();
    expect(source.origin).toMatchObject({ repo: expect.any(String), commit: expect.stringMatching(/^[0-9a-f]{40}$/), path: expect.any(String) });
    expect(subset.source).toMatchObject({ repo: source.origin.repo, commit: source.origin.commit, title: 'Statuspage API' });
    expect(source.document.paths['/pages/{page_id}/incidents'].post.operationId).toBe('postPagesPageIdIncidents');
    expect(source.document.paths['/pages/{page_id}/incidents/{incident_id}'].patch.operationId).toBe('patchPagesPageIdIncidentsIncidentId');
    expect(source.document.paths['/pages/{page_id}/incidents/unresolved'].get.operationId).toBe('getPagesPageIdIncidentsUnresolved');
    expect(Object.keys(subset.operations).sort()).toEqual(['getPagesPageIdIncidentsUnresolved', 'patchPagesPageIdIncidentsIncidentId', 'postPagesPageIdIncidents']);
  });
});

describe('Statuspage emulator checks requests against the subset', () => {
  it('creates and resolves an incident with component status; the answers match the document', async () => {
    const created = await call('POST', '/incidents', { incident: { name: 'Checkout errors', status: 'investigating', impact_override: 'major', body: 'Looking', components: { cmp1: 'partial_outage' }, component_ids: ['cmp1'] } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const resolved = await call('PATCH', `/incidents/${id}`, { incident: { status: 'resolved', body: 'Fixed', components: { cmp1: 'operational' } } });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ id, status: 'resolved', resolved_at: expect.any(String) });
    expect(sp.components.get('cmp1')).toBe('operational');
    expect(sp.violations).toEqual([]);
  });

  it('lists unresolved incidents with the metadata they were opened with', async () => {
    const created = await call('POST', '/incidents', { incident: { name: 'Open one', metadata: { firebreak: { incident: 'INC-1' } } } });
    const { id } = (await created.json()) as { id: string };
    const list = await fetch(`${sp.url}/v1/pages/page1/incidents/unresolved?per_page=100`, { headers: { authorization: 'OAuth key-1' } });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id, metadata: { firebreak: { incident: 'INC-1' } } })]));
    const bad = await fetch(`${sp.url}/v1/pages/page1/incidents/unresolved?per_page=many`, { headers: { authorization: 'OAuth key-1' } });
    expect(bad.status).toBe(400);
    expect(sp.violations).toEqual([expect.stringMatching(/query\/per_page must be integer/)]);
  });

  it.each([
    ['a status outside the enum', { incident: { name: 'x', status: 'closed' } }, /incident\/status must be equal to one of the allowed values/],
    ['an impact outside the enum', { incident: { name: 'x', impact_override: 'severe' } }, /incident\/impact_override must be equal to one of the allowed values/],
    ['a component status outside the enum', { incident: { name: 'x', components: { cmp1: 'down' } } }, /incident\/components\/cmp1 must be equal to one of the allowed values/],
    ['a name that is not a string', { incident: { name: 7 } }, /incident\/name must be string/],
    ['component_ids that are not a list', { incident: { name: 'x', component_ids: 'cmp1' } }, /incident\/component_ids must be array/],
  ])('refuses a create with %s (422) and records it', async (_what, body, problem) => {
    const before = sp.incidents.size;
    const res = await call('POST', '/incidents', body);
    expect(res.status).toBe(422);
    expect(sp.violations).toEqual([expect.stringMatching(problem)]);
    expect(sp.incidents.size).toBe(before);
  });
});
