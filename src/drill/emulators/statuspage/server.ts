import { SpecSubset, readBody } from '../spec-subset.js';
import { startHttpEmulator, type HttpEmulator, type JsonReply } from '../http-emulator.js';

/**
 * Atlassian Statuspage REST v1, stateful for incidents and component status. Requests and
 * responses are checked against ./spec-subset.json, which scripts/extract-notify-specs.mjs extracts
 * from the published OpenAPI document (vendored in ./published-source.json with its origin); an
 * off-spec request is refused with 422 and recorded as a violation. Auth is `Authorization: OAuth
 * <key>`; a wrong page id is 404. `resolved_at` is left out until the incident is resolved: the
 * document types it as a string, and the emulator answers only what the document allows.
 */
export interface StatusIncident {
  id: string;
  name: string;
  status: string;
  impact: string;
  updates: Array<{ id: string; status: string; body: string }>;
  metadata?: Record<string, Record<string, unknown>>;
}

export interface StatuspageEmulator extends HttpEmulator {
  incidents: Map<string, StatusIncident>;
  components: Map<string, string>;
}

const SPEC = SpecSubset.load(new URL('./spec-subset.json', import.meta.url));

export async function startStatuspageEmulator(opts: { pageId: string; apiKey: string; components: string[] }): Promise<StatuspageEmulator> {
  const incidents = new Map<string, StatusIncident>();
  const components = new Map(opts.components.map((c) => [c, 'operational']));
  let seq = 0;
  const view = (i: StatusIncident) => ({
    id: i.id,
    name: i.name,
    status: i.status,
    impact: i.impact,
    page_id: opts.pageId,
    ...(i.status === 'resolved' ? { resolved_at: '2026-12-02T00:00:00Z' } : {}),
    incident_updates: [...i.updates].reverse(),
    ...(i.metadata ? { metadata: i.metadata } : {}),
    components: [...components].map(([id, status]) => ({ id, status })),
  });
  const emu = await startHttpEmulator('statuspage', async (req, url, violations): Promise<JsonReply> => {
    if (req.headers.authorization !== `OAuth ${opts.apiKey}`) return { status: 401, body: { error: 'Could not authenticate' } };
    const create = /^\/v1\/pages\/([^/]+)\/incidents$/.exec(url.pathname);
    const unresolved = /^\/v1\/pages\/([^/]+)\/incidents\/unresolved$/.exec(url.pathname);
    const patch = unresolved ? null : /^\/v1\/pages\/([^/]+)\/incidents\/([^/]+)$/.exec(url.pathname);
    const page = create?.[1] ?? unresolved?.[1] ?? patch?.[1];
    if (page !== opts.pageId) return { status: 404, body: { error: 'Page not found' } };
    if (unresolved) {
      if (req.method !== 'GET') return { status: 405, body: { error: 'Method not allowed' } };
      const opId = 'getPagesPageIdIncidentsUnresolved';
      // Query values arrive as text; the document types page and per_page as integers.
      const query = Object.fromEntries([...url.searchParams].map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v]));
      const problems = SPEC.checkRequest(opId, undefined, query);
      if (problems.length) {
        violations.push(...problems.map((p) => `statuspage ${opId}: ${p}`));
        return { status: 400, body: { error: problems } };
      }
      const out = [...incidents.values()].filter((i) => i.status !== 'resolved').map(view);
      const bad = SPEC.checkResponse(opId, 200, out);
      if (bad.length) violations.push(...bad.map((p) => `statuspage ${opId} response: ${p}`));
      return { status: 200, body: out };
    }
    const { json } = await readBody(req);
    const opId = req.method === 'POST' && create ? 'postPagesPageIdIncidents' : req.method === 'PATCH' && patch ? 'patchPagesPageIdIncidentsIncidentId' : undefined;
    if (!opId) return { status: 405, body: { error: 'Method not allowed' } };
    const problems = SPEC.checkRequest(opId, json);
    if (problems.length) {
      violations.push(...problems.map((p) => `statuspage ${opId}: ${p}`));
      return { status: 422, body: { error: problems } };
    }
    const body = (json as { incident: { name?: string; status?: string; body?: string; impact_override?: string; components?: Record<string, string>; metadata?: StatusIncident['metadata'] } }).incident;
    for (const [id, status] of Object.entries(body.components ?? {})) {
      if (!components.has(id)) return { status: 422, body: { error: [`component ${id} not found`] } };
      components.set(id, status);
    }
    let inc: StatusIncident;
    if (opId === 'postPagesPageIdIncidents') {
      inc = { id: `inc${++seq}`, name: body.name!, status: body.status ?? 'investigating', impact: body.impact_override ?? 'none', updates: [], ...(body.metadata ? { metadata: body.metadata } : {}) };
      incidents.set(inc.id, inc);
    } else {
      const found = incidents.get(patch![2]!);
      if (!found) return { status: 404, body: { error: 'Incident not found' } };
      inc = found;
      if (body.status) inc.status = body.status;
    }
    inc.updates.push({ id: `upd${inc.id}-${inc.updates.length + 1}`, status: inc.status, body: body.body ?? '' });
    const status = opId === 'postPagesPageIdIncidents' ? 201 : 200;
    const out = view(inc);
    const bad = SPEC.checkResponse(opId, status, out);
    if (bad.length) violations.push(...bad.map((p) => `statuspage ${opId} response: ${p}`));
    return { status, body: out };
  });
  return { ...emu, incidents, components };
}
