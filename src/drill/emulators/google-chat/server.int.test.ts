import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGoogleChatEmulator, type GoogleChatEmulator } from './server.js';

/**
 * The Google Chat emulator answers only what the published discovery document allows: its subset is
 * extracted by scripts/extract-notify-specs.mjs from the vendored parts of the document (origin
 * recorded), and a request off that description is refused and recorded as a violation.
 */
const ROOT = new URL('../../../../', import.meta.url);
const read = (p: string) => JSON.parse(readFileSync(new URL(p, ROOT), 'utf8')) as Record<string, any>;

let chat: GoogleChatEmulator;
beforeAll(async () => {
  chat = await startGoogleChatEmulator({ key: 'k-test', token: 't-test' });
});
afterAll(async () => chat?.close());
beforeEach(() => {
  chat.violations.length = 0;
});

const post = (query: Record<string, string>, body: unknown) =>
  fetch(`${chat.url}/v1/spaces/AAAAspace/messages?${new URLSearchParams({ key: 'k-test', token: 't-test', ...query })}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Google Chat subset comes from the discovery document', () => {
  it('is extracted by the script from the vendored source, whose origin is recorded; nothing is hand-written', () => {
    const subset = read('src/drill/emulators/google-chat/spec-subset.json');
    const source = read('src/drill/emulators/google-chat/published-source.json');
    expect(subset.source.hand).toBeUndefined();
    expect(source.origin).toMatchObject({ repo: expect.stringMatching(/^[\w.-]+\/[\w.-]+$/), commit: expect.stringMatching(/^[0-9a-f]{40}$/), path: expect.any(String) });
    expect(subset.source).toMatchObject({ repo: source.origin.repo, commit: source.origin.commit, discoveryId: 'chat:v1', method: 'chat.spaces.messages.create' });
    // The vendored method is the document's own: its query parameters and request/response schema.
    const method = source.document.resources.spaces.resources.messages.methods.create;
    expect(method).toMatchObject({ httpMethod: 'POST', path: 'v1/{+parent}/messages', request: { $ref: 'Message' }, response: { $ref: 'Message' } });
    expect(Object.keys(method.parameters)).toEqual(expect.arrayContaining(['requestId', 'messageReplyOption', 'messageId', 'parent']));
    expect(source.document.schemas.Message.properties.thread).toEqual({ $ref: 'Thread', description: expect.any(String) });
    // Re-running the extraction reproduces the committed subsets byte for byte.
    expect(execFileSync(process.execPath, ['scripts/extract-notify-specs.mjs', '--google-chat', '--statuspage', '--check'], { cwd: ROOT, encoding: 'utf8' })).not.toContain('STALE');
  });
});

describe('Google Chat emulator checks requests against the subset', () => {
  it('accepts a webhook post and answers a Message the document allows', async () => {
    const res = await post({ threadKey: 'INC-1', messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD', requestId: 'r-1' }, { text: 'hello', thread: { threadKey: 'INC-1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: expect.stringMatching(/^spaces\/AAAAspace\/messages\//), thread: { name: expect.any(String) } });
    expect(chat.violations).toEqual([]);
  });

  it.each([
    ['a body field the Message schema does not have', {}, { text: 'x', colour: 'red' }, /request .*additional properties \(colour\)/],
    ['a nested field the Thread schema does not have', {}, { text: 'x', thread: { key: 'INC-1' } }, /request\/thread .*additional properties \(key\)/],
    ['a wrong type for text', {}, { text: 42 }, /request\/text must be string/],
    ['a messageReplyOption outside the enum', { messageReplyOption: 'REPLY_ALWAYS' }, { text: 'x' }, /query\/messageReplyOption must be equal to one of the allowed values/],
    ['a query parameter the method does not take', { threadId: 'x' }, { text: 'x' }, /query .*additional properties \(threadId\)/],
    ['a messageId without the client- prefix', { messageId: 'm1' }, { text: 'x' }, /query\/messageId must match pattern/],
  ])('refuses %s with 400 INVALID_ARGUMENT and records it', async (_what, query, body, problem) => {
    const before = chat.messages.length;
    const res = await post(query, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
    expect(chat.violations).toEqual([expect.stringMatching(problem)]);
    expect(chat.messages).toHaveLength(before);
  });

  it('refuses a webhook URL without its token (the webhook half of the URL)', async () => {
    const res = await fetch(`${chat.url}/v1/spaces/AAAAspace/messages?key=k-test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x' }) });
    expect(res.status).toBe(400);
    expect(chat.violations).toEqual([expect.stringMatching(/must have required property 'token'/)]);
  });
});
