import { SpecSubset, readBody } from '../spec-subset.js';
import { startHttpEmulator, type HttpEmulator, type JsonReply } from '../http-emulator.js';

/**
 * A stateful Slack Web API emulator for the methods notify calls: channels (create, invite, topic,
 * archive, list), messages and pins. Every request's form fields are checked against the committed
 * subset of slackapi/slack-api-specs (./spec-subset.json), every ok response against the method's
 * declared schema. Slack answers errors as 200 `{ok:false,error}`; rate limits as 429 + Retry-After.
 */
export interface SlackChannel {
  id: string;
  name: string;
  topic: string;
  members: string[];
  archived: boolean;
  pins: string[];
  messages: Array<{ ts: string; text: string; blocks: unknown }>;
}

export interface SlackEmulator extends HttpEmulator {
  /** The Web API base URL (give it to the client as `slackApiUrl`). */
  apiUrl: string;
  channels: Map<string, SlackChannel>;
  byName(name: string): SlackChannel | undefined;
}

const SPEC = SpecSubset.load(new URL('./spec-subset.json', import.meta.url));

function coerce(form: URLSearchParams, schema: Record<string, unknown>): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, { type?: string }>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of form) {
    const t = props[k]?.type;
    out[k] = t === 'boolean' ? v === 'true' || v === '1' : t === 'integer' && /^\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}

export async function startSlackEmulator(opts: { token: string }): Promise<SlackEmulator> {
  const channels = new Map<string, SlackChannel>();
  let seq = 0;
  let clock = 1_700_000_000;
  const nextTs = () => `${clock++}.${String(++seq).padStart(6, '0')}`;
  const conversation = (c: SlackChannel) => ({
    id: c.id,
    name: c.name,
    created: 1_700_000_000,
    creator: 'U0FIREBRK',
    is_archived: c.archived,
    is_channel: true,
    is_general: false,
    is_mpim: false,
    is_group: false,
    is_org_shared: false,
    is_im: false,
    is_shared: false,
    is_private: false,
    name_normalized: c.name,
    topic: { value: c.topic, creator: 'U0FIREBRK', last_set: 1_700_000_000 },
    purpose: { value: '', creator: '', last_set: 0 },
  });

  const emu = await startHttpEmulator('slack', async (req, url, violations): Promise<JsonReply> => {
    const method = url.pathname.replace(/^\/api\//, '');
    const op = SPEC.operations[method];
    if (!op) return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const { form, json } = await readBody(req);
    const fields = coerce(form ?? new URLSearchParams(url.search), op.request ?? {});
    if (json !== undefined) Object.assign(fields, json);
    // The bot token travels as `Authorization: Bearer`, never in the form.
    const auth = String(req.headers.authorization ?? '');
    if (auth !== `Bearer ${opts.token}`) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    delete fields.token;
    const problems = SPEC.checkRequest(method, fields);
    if (problems.length) {
      violations.push(...problems.map((p) => `slack ${method}: ${p}`));
      return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
    }
    const reply = handle(method, fields);
    if (reply.body && (reply.body as { ok?: boolean }).ok) {
      const bad = SPEC.checkResponse(method, 200, reply.body);
      if (bad.length) violations.push(...bad.map((p) => `slack ${method} response: ${p}`));
    }
    return reply;
  });

  const ch = (id: unknown) => (typeof id === 'string' ? channels.get(id) : undefined);
  function handle(method: string, f: Record<string, unknown>): JsonReply {
    const ok = (body: Record<string, unknown>) => ({ status: 200, body: { ok: true, ...body } });
    const err = (error: string) => ({ status: 200, body: { ok: false, error } });
    switch (method) {
      case 'conversations.create': {
        const name = String(f.name ?? '');
        if (!/^[a-z0-9_-]{1,80}$/.test(name)) return err('invalid_name_specials');
        if ([...channels.values()].some((c) => c.name === name)) return err('name_taken');
        const c: SlackChannel = { id: `C${String(channels.size + 1).padStart(8, '0')}`, name, topic: '', members: ['U0FIREBRK'], archived: false, pins: [], messages: [] };
        channels.set(c.id, c);
        return ok({ channel: conversation(c) });
      }
      case 'conversations.list':
        return ok({ channels: [...channels.values()].filter((c) => !(f.exclude_archived && c.archived)).map(conversation), response_metadata: { next_cursor: '' } });
      case 'conversations.invite': {
        const c = ch(f.channel);
        if (!c) return err('channel_not_found');
        if (c.archived) return err('is_archived');
        const users = String(f.users ?? '').split(',').filter(Boolean);
        if (users.every((u) => c.members.includes(u))) return err('already_in_channel');
        for (const u of users) if (!c.members.includes(u)) c.members.push(u);
        return ok({ channel: conversation(c) });
      }
      case 'conversations.setTopic': {
        const c = ch(f.channel);
        if (!c) return err('channel_not_found');
        c.topic = String(f.topic ?? '');
        return ok({ channel: conversation(c) });
      }
      case 'chat.postMessage': {
        const c = ch(f.channel);
        if (!c) return err('channel_not_found');
        if (c.archived) return err('is_archived');
        const text = String(f.text ?? '');
        if (text.length > 40_000) return err('msg_too_long');
        const ts = nextTs();
        c.messages.push({ ts, text, blocks: typeof f.blocks === 'string' ? JSON.parse(f.blocks) : f.blocks });
        return ok({ channel: c.id, ts, message: { type: 'message', text, ts, user: 'U0FIREBRK' } });
      }
      case 'pins.add': {
        const c = ch(f.channel);
        if (!c) return err('channel_not_found');
        const ts = String(f.timestamp ?? '');
        if (!c.messages.some((m) => m.ts === ts)) return err('message_not_found');
        if (c.pins.includes(ts)) return err('already_pinned');
        c.pins.push(ts);
        return ok({});
      }
      case 'conversations.archive': {
        const c = ch(f.channel);
        if (!c) return err('channel_not_found');
        if (c.archived) return err('already_archived');
        c.archived = true;
        return ok({});
      }
      default:
        return err('unknown_method');
    }
  }

  return { ...emu, apiUrl: `${emu.url}/api/`, channels, byName: (name) => [...channels.values()].find((c) => c.name === name) };
}
