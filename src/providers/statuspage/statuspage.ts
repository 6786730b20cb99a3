import type { SentMessage, StatusPagePort } from '../../core/ports/notify.js';
import { jsonCall, type HttpCallOptions } from '../http/json-call.js';

interface StatusIncidentBody {
  id?: string;
  incident_updates?: Array<{ id?: string }>;
  metadata?: { firebreak?: { incident?: string } };
}

/**
 * Atlassian Statuspage REST v1 over fetch (`Authorization: OAuth <key>`); no official JS client
 * exists. The incident firebreak opens carries `metadata.firebreak.incident` (the document: "all
 * top-level values in the object must also be objects"), which is how a later run finds it.
 */
export class StatuspageClient implements StatusPagePort {
  private readonly base: string;
  constructor(private readonly opts: Omit<HttpCallOptions, 'provider'> & { apiKey: string; baseUrl?: string }) {
    this.base = (opts.baseUrl ?? 'https://api.statuspage.io').replace(/\/$/, '');
  }

  private call<T = StatusIncidentBody>(operation: string, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<{ status: number; body: T }> {
    return jsonCall({ ...this.opts, provider: 'statuspage' }, { operation, method, url: `${this.base}/v1${path}`, headers: { authorization: `OAuth ${this.opts.apiKey}` }, ...(body === undefined ? {} : { body }) });
  }

  async create(args: Parameters<StatusPagePort['create']>[0]): Promise<SentMessage> {
    const page = `/pages/${encodeURIComponent(args.pageId)}`;
    // An unresolved incident carrying this firebreak incident in its metadata is the one to keep.
    const open = await this.call<StatusIncidentBody[]>('list unresolved incidents', 'GET', `${page}/incidents/unresolved`);
    const mine = (Array.isArray(open.body) ? open.body : []).find((i) => i.metadata?.firebreak?.incident === args.incidentKey);
    if (mine?.id) return { messageId: mine.incident_updates?.at(-1)?.id ?? mine.id, thread: mine.id, outcome: 'already' };
    const components = Object.fromEntries(args.componentIds.map((id) => [id, args.impact === 'critical' ? 'major_outage' : args.impact === 'major' ? 'partial_outage' : 'degraded_performance']));
    const res = await this.call('create incident', 'POST', `${page}/incidents`, {
      incident: { name: args.name, status: 'investigating', body: args.body, impact_override: args.impact, component_ids: args.componentIds, components, deliver_notifications: true, metadata: { firebreak: { incident: args.incidentKey } } },
    });
    return { messageId: res.body.incident_updates?.[0]?.id ?? res.body.id ?? 'unknown', thread: res.body.id };
  }

  async update(args: Parameters<StatusPagePort['update']>[0]): Promise<SentMessage> {
    const res = await this.call('update incident', 'PATCH', `/pages/${encodeURIComponent(args.pageId)}/incidents/${encodeURIComponent(args.incidentId)}`, { incident: { status: args.status, body: args.body } });
    return { messageId: res.body.incident_updates?.[0]?.id ?? args.incidentId, thread: args.incidentId };
  }

  async resolve(args: Parameters<StatusPagePort['resolve']>[0]): Promise<SentMessage> {
    const components = Object.fromEntries(args.componentIds.map((id) => [id, 'operational']));
    const res = await this.call('resolve incident', 'PATCH', `/pages/${encodeURIComponent(args.pageId)}/incidents/${encodeURIComponent(args.incidentId)}`, { incident: { status: 'resolved', body: args.body, components } });
    return { messageId: res.body.incident_updates?.[0]?.id ?? args.incidentId, thread: args.incidentId };
  }
}
