import { statusLabel } from '../../core/incident/render.js';
import { check, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { incidentIssue, keyedComments, recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';

/**
 * A refused update (external text with internal details, a closed incident…) posts no update: no
 * comment but the refusal's own audit record (which keeps the input) carries its text.
 */
async function nothingPosted(world: RunbookWorld, text: unknown, code: string): Promise<Expectation> {
  const gh = await world.github();
  const issue = await incidentIssue(world);
  const t = typeof text === 'string' ? text.trim() : '';
  const found = [...gh.state.comments.values()].filter((c) => c.issueNumber === issue?.number && !c.body.includes('<!-- firebreak:audit ') && t !== '' && c.body.includes(t)).length;
  return check(`the refused update (${code}) posted nothing on the incident issue`, issue !== undefined && t !== '' && found === 0, issue ? `${found} comment(s) carry the text` : 'no incident issue');
}

/**
 * post-update: the update is a comment on the incident issue, posted once under the step's key,
 * with the runbook's text and its audience's header; the issue's status label follows it.
 */
export const postUpdateFixture: RunbookFixture = {
  async verify(world, outcome) {
    const out: Expectation[] = [];
    if (outcome.code !== undefined) return [await nothingPosted(world, outcome.input.text, outcome.code)];
    const key = (outcome.plan as { meta?: { key?: string } } | undefined)?.meta?.key;
    out.push(check('post-update planned a keyed comment', typeof key === 'string', JSON.stringify(outcome.plan)));
    const comments = await keyedComments(world, key ?? '');
    out.push(check(`the update is on the incident issue exactly once (${key})`, comments.length === 1, `${comments.length} comment(s) with that key`));
    const text = typeof outcome.input.text === 'string' ? outcome.input.text.trim() : '';
    const body = comments[0] ?? '';
    out.push(check('the comment carries the runbook’s text', text !== '' && body.includes(text), body.slice(0, 300) || 'no comment'));
    const audience = outcome.input.audience === 'external' ? '**External update**' : '**Internal update**';
    out.push(check(`the comment is marked ${audience.replace(/\*/g, '')}`, body.includes(audience), body.split('\n')[1] ?? ''));
    const status = typeof outcome.input.status === 'string' ? outcome.input.status : outcome.input.kind === 'resolved' ? 'resolved' : 'investigating';
    const issue = await incidentIssue(world);
    const labels = issue?.labels.filter((l) => l.startsWith('status:')) ?? [];
    out.push(check(`the incident issue is labelled ${statusLabel(status)}`, labels.length === 1 && labels[0] === statusLabel(status), labels.join(', ') || 'no status label'));
    out.push(await recordedOnIssue(world, 'post-update', outcome.status));
    return out;
  },
};
