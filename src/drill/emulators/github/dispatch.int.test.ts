import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISPATCH_INPUT_PATHS, DISPATCH_INPUT_TEMPLATE, SCHEDULER_INPUT } from '../../../core/incident/tick-dispatch.js';
import { tickTiming, triggerFromEvent } from '../../../core/incident/tick-timing.js';
import { githubClient } from '../../../runtime/github-client.js';
import { repositoryDispatches } from './handlers-dispatch.js';
import { startGitHubEmulator, type GitHubEmulator } from './server.js';

/**
 * The kit's tick request end to end, as far as it runs without AWS: Scheduler's input with its
 * `<aws.scheduler.scheduled-time>` context attribute becomes the event detail, the rule's input
 * transformer renders the GitHub body (AWS InputTransformer reference: an unquoted placeholder
 * takes the JSON value at its path), and `POST /repos/{owner}/{repo}/dispatches` (GitHub REST
 * "Create a repository dispatch event", checked against the published OpenAPI description) is
 * accepted; the event it makes is read back into a tick exactly on time.
 */

let gh: GitHubEmulator;
beforeEach(async () => {
  gh = await startGitHubEmulator({ now: () => new Date('2026-11-22T10:15:02Z') });
});
afterEach(async () => {
  gh.assertNoViolations();
  await gh.stop();
});

/** What EventBridge does with the schedule's input and the rule's transformer. */
function renderTick(scheduledTime: string): unknown {
  const detail = JSON.parse(SCHEDULER_INPUT.replace('<aws.scheduler.scheduled-time>', scheduledTime)) as Record<string, unknown>;
  const event = { source: 'firebreak.scheduler', 'detail-type': 'firebreak-tick', detail };
  const value = (path: string): unknown => path.replace(/^\$\./, '').split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], event);
  let body = DISPATCH_INPUT_TEMPLATE;
  for (const [name, path] of Object.entries(DISPATCH_INPUT_PATHS)) body = body.replace(`<${name}>`, JSON.stringify(value(path)));
  return JSON.parse(body);
}

describe('repos/create-dispatch-event: the kit’s tick reaches GitHub in the shape GitHub documents', () => {
  it('accepts the rendered body and the event reads back as an on-time repository_dispatch tick', async () => {
    const body = renderTick('2026-11-22T10:15:00Z') as { event_type: string; client_payload: Record<string, unknown> };
    const octokit = githubClient(gh.env());
    const res = await octokit.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, ...body });
    expect(res.status).toBe(204);
    const [event] = repositoryDispatches(gh.state);
    expect(event).toEqual({ eventType: 'firebreak-tick', clientPayload: { scheduled_time: '2026-11-22T10:15:00Z', source: 'eventbridge-scheduler' }, at: '2026-11-22T10:15:02Z', sender: gh.state.actor });
    const timing = tickTiming(triggerFromEvent('repository_dispatch', { action: event!.eventType, client_payload: event!.clientPayload }), new Date('2026-11-22T10:15:30Z'), 5);
    expect(timing).toMatchObject({ source: 'repository_dispatch', lateSeconds: 30, slot: 'tick:2026-11-22T10:15:00.000Z' });
  });

  it('refuses a body without event_type and more than 10 client_payload properties (GitHub’s OpenAPI description)', async () => {
    const octokit = githubClient(gh.env());
    const r = await octokit.request('POST /repos/{owner}/{repo}/dispatches', { owner: gh.owner, repo: gh.repo, client_payload: {} } as never).then(
      () => undefined,
      (e: { status: number }) => e.status,
    );
    expect(r).toBe(422);
    const payload = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    await expect(octokit.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, event_type: 'firebreak-tick', client_payload: payload })).rejects.toMatchObject({ status: 422 });
    expect(repositoryDispatches(gh.state)).toEqual([]);
    // Both are requests the published description refuses (event_type required, maxProperties 10).
    expect(gh.takeViolations().map((v) => v.errors.join(' '))).toEqual([expect.stringContaining('event_type'), expect.stringContaining('must NOT have more than 10 properties')]);
  });
});
