import { describe, expect, it } from 'vitest';
import { webhookPayload } from './events.js';

describe('webhook event payloads', () => {
  const user = { login: 'ic-alice', id: 7, type: 'User' };
  it("complete the drill's partial payloads into shapes GitHub's webhook descriptions accept", () => {
    const comment = webhookPayload('issue_comment$created', { action: 'created', issue: { number: 3, labels: [{ name: 'incident' }], user }, comment: { id: 9, body: '/firebreak ack', user }, sender: user });
    expect(comment).toMatchObject({ action: 'created', issue: { number: 3, state: 'open', locked: false }, comment: { id: 9, body: '/firebreak ack' } });
    expect(comment.repository).toMatchObject({ full_name: expect.any(String) });
    expect(webhookPayload('repository_dispatch$event', { action: 'firebreak-alert', client_payload: { v: 1 }, sender: user })).toMatchObject({ action: 'firebreak-alert', client_payload: { v: 1 } });
    expect(webhookPayload('secret_scanning_alert$created', { action: 'created', alert: { number: 4, secret_type: 'aws_access_key_id' } })).toMatchObject({ alert: { resolution: null } });
  });

  it('refuses a shape GitHub never sends', () => {
    expect(() => webhookPayload('issue_comment$created', { action: 'edited' })).toThrow(/does not match GitHub's webhook description/);
    expect(() => webhookPayload('issue_comment$created', { action: 'created', comment: { id: 'nine' } })).toThrow(/comment/);
    expect(() => webhookPayload('no_such$event', {})).toThrow(/no definition/);
  });
});
