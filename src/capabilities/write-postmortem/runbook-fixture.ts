import { check, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { drillConfig, incidentIssue, recordedOnIssue } from '../../drill/runbook/incident-ledger.js';

/**
 * write-postmortem (the drill's "postmortem written"): an open pull request from the postmortem
 * branch exists in the GitHub emulator, and the file on that branch holds the runbook's root cause
 * and a timeline with the steps that ran: the declaration, every applied containment step and every
 * status update recorded on the incident before it.
 */
export const writePostmortemFixture: RunbookFixture = {
  async verify(world, outcome) {
    const out: Expectation[] = [];
    const gh = await world.github();
    const meta = (outcome.plan as { meta?: { path?: string; branch?: string } } | undefined)?.meta ?? {};
    const pull = [...gh.state.issues.values()].find((i) => i.pull?.head === meta.branch);
    out.push(check(`a postmortem pull request from ${meta.branch ?? '(no branch planned)'} is open`, !!pull && (pull.state === 'open' || pull.pull!.merged), pull ? `#${pull.number} ${pull.state}` : 'no pull request from that branch'));
    const file = meta.branch && meta.path ? gh.state.file(meta.branch, meta.path) : undefined;
    out.push(check(`the branch holds ${meta.path ?? 'the postmortem file'}`, typeof file === 'string' && file.length > 0, 'file not found on the branch'));
    const text = file ?? '';
    const rootCause = typeof outcome.input['root-cause'] === 'string' ? outcome.input['root-cause'] : typeof outcome.input.root_cause === 'string' ? outcome.input.root_cause : undefined;
    out.push(check('the postmortem states the runbook’s root cause', rootCause !== undefined && text.includes(rootCause.trim()), rootCause ? 'root cause not in the file' : 'the runbook gave no root-cause'));
    // The table rows (the Mermaid chart below them repeats the events).
    const timeline = (text.split('## Timeline')[1]?.split('\n## ')[0] ?? '').split('\n').filter((l) => l.startsWith('| ')).join('\n');
    out.push(check('the postmortem has a timeline starting with the declaration', timeline.includes('Declared '), timeline.slice(0, 200) || 'no ## Timeline section'));
    const issue = await incidentIssue(world);
    const { incident } = await drillConfig(world);
    const ran = (issue?.records ?? []).filter((r) => r.status === 'applied' && !r.dryRun);
    const containment = [...new Set(ran.filter((r) => incident.containment_steps.includes(r.step)).map((r) => r.step))];
    for (const step of containment) out.push(check(`the timeline shows containment by ${step}`, timeline.includes(`Containment: ${step}`), 'missing from the timeline'));
    const updates = ran.filter((r) => r.step === 'post-update').length;
    const shown = (timeline.match(/ update \(/g) ?? []).length;
    out.push(check(`the timeline shows the ${updates} status update(s) posted`, shown === updates, `${shown} update row(s)`));
    out.push(await recordedOnIssue(world, 'write-postmortem', outcome.status));
    return out;
  },
};
