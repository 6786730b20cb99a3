import { severityLabel } from '../../core/incident/render.js';
import { check, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { incidentIssue, recordedOnIssue } from '../../drill/runbook/incident-ledger.js';

/**
 * classify: the incident issue carries exactly one severity label, the one the step decided (the
 * runbook's explicit severity, else the checklist's answer), and the issue holds the record with
 * the reasons. A workaround the runbook names must show in the reasons where the scheme lowers.
 */
export const classifyFixture: RunbookFixture = {
  async verify(world, outcome) {
    const out: Expectation[] = [];
    if (outcome.code !== undefined) {
      // A refused classification (a severity the scheme lacks, an unknown category) relabels nothing.
      const issue = await incidentIssue(world);
      const applied = issue?.records.filter((r) => r.step === 'classify' && r.status === 'applied' && r.time === world.clock.now().toISOString()).length ?? 0;
      return [check(`the refused classification (${outcome.code}) applied nothing`, issue !== undefined && applied === 0, issue ? `${applied} applied classify record(s) now` : 'no incident issue')];
    }
    const meta = (outcome.plan as { meta?: { severity?: string; reasons?: string[] } } | undefined)?.meta;
    const decided = meta?.severity;
    out.push(check('classify decided a severity', typeof decided === 'string', JSON.stringify(meta)));
    const given = typeof outcome.input.severity === 'string' ? outcome.input.severity : undefined;
    // An explicit severity is the responder's call: the label must be that level, whatever its case.
    if (given !== undefined) out.push(check(`the decided severity is the one the runbook gave (${given})`, decided?.toLowerCase() === given.toLowerCase(), `decided ${decided}`));
    const issue = await incidentIssue(world);
    const labels = issue?.labels.filter((l) => l.startsWith('severity:')) ?? [];
    out.push(check(`the incident issue is labelled ${severityLabel(decided ?? '?')} and nothing else`, labels.length === 1 && labels[0] === severityLabel(decided ?? '?'), labels.join(', ') || 'no severity label'));
    const workaround = outcome.input.workaround === true || outcome.input.workaround === 'true';
    if (workaround && given === undefined) out.push(check('the workaround the runbook names is in the recorded reasons', (meta?.reasons ?? []).some((r) => r.includes('workaround')), (meta?.reasons ?? []).join('; ')));
    out.push(await recordedOnIssue(world, 'classify', outcome.status));
    return out;
  },
};
