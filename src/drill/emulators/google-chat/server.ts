import { SpecSubset, readBody } from '../spec-subset.js';
import { startHttpEmulator, type HttpEmulator, type JsonReply } from '../http-emulator.js';

/**
 * Google Chat incoming webhooks (`POST /v1/spaces/{space}/messages?key=…&token=…`), stateful:
 * threads by `threadKey`, idempotent by `requestId` (a retried create returns the first message).
 * The query, the body and the reply are checked against ./spec-subset.json, extracted by
 * scripts/extract-notify-specs.mjs from the published discovery document (the parts vendored in
 * ./published-source.json with their origin): an off-spec request is refused with 400
 * INVALID_ARGUMENT and recorded as a violation.
 */
export interface ChatMessage {
  name: string;
  thread: string;
  threadKey: string | undefined;
  text: string;
}

export interface GoogleChatEmulator extends HttpEmulator {
  webhookUrl(space: string): string;
  messages: ChatMessage[];
}

const SPEC = SpecSubset.load(new URL('./spec-subset.json', import.meta.url));

export async function startGoogleChatEmulator(opts: { key: string; token: string }): Promise<GoogleChatEmulator> {
  const messages: ChatMessage[] = [];
  const byRequest = new Map<string, ChatMessage>();
  const threads = new Map<string, string>();
  const emu = await startHttpEmulator('google-chat', async (req, url, violations): Promise<JsonReply> => {
    const m = /^\/v1\/spaces\/([^/]+)\/messages$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return { status: 404, body: { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } } };
    const space = m[1]!;
    const { json } = await readBody(req);
    const query = Object.fromEntries(url.searchParams);
    const problems = SPEC.checkRequest('spaces.messages.create', json, query);
    if (problems.length) {
      violations.push(...problems.map((p) => `google-chat: ${p}`));
      return { status: 400, body: { error: { code: 400, message: problems.join('; '), status: 'INVALID_ARGUMENT' } } };
    }
    if (query.key !== opts.key || query.token !== opts.token) return { status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } };
    const reqId = query.requestId;
    let msg = reqId ? byRequest.get(reqId) : undefined;
    if (!msg) {
      const body = json as { text?: string; thread?: { threadKey?: string } };
      const threadKey = query.threadKey ?? body.thread?.threadKey;
      const reply = query.messageReplyOption === 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' || query.messageReplyOption === 'REPLY_MESSAGE_OR_FAIL';
      let thread = reply && threadKey ? threads.get(threadKey) : undefined;
      if (!thread && query.messageReplyOption === 'REPLY_MESSAGE_OR_FAIL') return { status: 404, body: { error: { code: 404, message: 'Thread not found', status: 'NOT_FOUND' } } };
      if (!thread) {
        thread = `spaces/${space}/threads/t${threads.size + 1}`;
        if (threadKey) threads.set(threadKey, thread);
      }
      msg = { name: `spaces/${space}/messages/m${messages.length + 1}`, thread, threadKey, text: body.text ?? '' };
      messages.push(msg);
      if (reqId) byRequest.set(reqId, msg);
    }
    const out = { name: msg.name, text: msg.text, createTime: '2026-12-02T00:00:00Z', thread: { name: msg.thread, ...(msg.threadKey ? { threadKey: msg.threadKey } : {}) }, space: { name: `spaces/${space}` } };
    const bad = SPEC.checkResponse('spaces.messages.create', 200, out);
    if (bad.length) violations.push(...bad);
    return { status: 200, body: out };
  });
  return { ...emu, messages, webhookUrl: (space) => `${emu.url}/v1/spaces/${space}/messages?key=${opts.key}&token=${opts.token}` };
}
