import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { RUNBOOK_FIXTURES } from './fixtures.js';
import type { RunbookFixture } from './fixture.js';
import { recordedOnIssue } from './incident-ledger.js';
import { drillRunbook, type RunbookDrillReport } from './run.js';

/**
 * The incident steps' runbook fixtures, through the real runner and CLI against the emulators:
 * test/fixtures/runbooks/incident.md declares (and pages on every channel kind), classifies, ticks
 * past the ladder's first rung, updates, records a notification, writes the postmortem and closes
 * through the gate with a merged fix PR. incident-quiet-tick.md puts a tick where nothing is due:
 * the tick applies, and its fixture must say that it posted nothing.
 */

const here = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/runbooks/${name}`, import.meta.url));

// record-containment is not one of these fixtures' steps: the close gate needs a containment record, so the test reads it back itself.
const recordContainment: RunbookFixture = { verify: async (world) => [await recordedOnIssue(world, 'record-containment')] };
const fixtures = { ...RUNBOOK_FIXTURES, 'record-containment': recordContainment };

/** The incident the drill declared, from its audit timeline. */
function incidentOf(report: RunbookDrillReport): string {
  return report.timeline.find((t) => t.incident)?.incident ?? '(none)';
}

function checksOf(report: RunbookDrillReport, step: string): Array<{ name: string; ok: boolean; detail?: string | undefined }> {
  return report.steps.filter((s) => s.step === step).flatMap((s) => s.expectations);
}

describe('runbook drill: the incident steps’ fixtures', () => {
  it('drills the incident runbook green, each step read back from the emulators', async () => {
    const report = await drillRunbook({ file: here('incident.md'), fixtures });
    const failed = [...report.steps.flatMap((s) => s.expectations), ...report.contract, report.audit].filter((e) => !e.ok);
    expect(failed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'declare:applied',
      // The declare hook already paged; the notify step finds nothing owed.
      'notify:noop',
      'classify:applied',
      'incident-tick:applied',
      'post-update:applied',
      'record-containment:applied',
      'record-notification:applied',
      'write-postmortem:applied',
      'close-incident:applied',
    ]);
    const names = (step: string): string[] => checksOf(report, step).map((e) => e.name);
    expect(names('notify')).toEqual(
      expect.arrayContaining([
        'Slack incident channel incident-' + incidentOf(report)!.toLowerCase() + ' exists',
        'the incident summary is pinned, once, as the first message',
        `PagerDuty paged once for ${incidentOf(report)}`,
        "one SMS to ic-alice's phone (SNS, read back from moto)",
        `one e-mail about ${incidentOf(report)} to sec-bob (SES, read back from moto)`,
        `Google Chat has the declaration in the thread of ${incidentOf(report)}`,
        'one status-page incident is open for it',
        'no secret or address the drill planted appears in the audit chain',
      ]),
    );
    expect(names('classify')).toContain('the incident issue is labelled severity:SEV0 and nothing else');
    expect(names('incident-tick')).toEqual(expect.arrayContaining(['notice ack:overdue is on the incident issue exactly once', 'escalation to senior_engineer (after 30 min) happened exactly once', `escalation escalate:senior_engineer:0 paged PagerDuty once (${incidentOf(report)}:rung:0)`]));
    expect(names('write-postmortem')).toEqual(expect.arrayContaining(['the postmortem states the runbook’s root cause', 'the timeline shows containment by record-containment', 'the timeline shows the 1 status update(s) posted']));
    expect(names('close-incident')).toEqual(expect.arrayContaining(['the incident issue is closed', 'the closing comment is on the issue once']));
    // The fix PR the runbook wrote as #4711 was made real (and merged) by the fixture, for its own step.
    expect(report.aliases.map((a) => a.written)).toEqual(['#4711']);
  });

  it('fails a drill whose tick finds nothing due, naming the check', async () => {
    const report = await drillRunbook({ file: here('incident-quiet-tick.md'), fixtures });
    expect(report.ok).toBe(false);
    const tick = report.steps.find((s) => s.step === 'incident-tick')!;
    expect(tick.ok).toBe(false);
    expect(tick.expectations.filter((e) => !e.ok).map((e) => e.name)).toEqual([
      `the tick ran for ${incidentOf(report)} and recorded it on the issue`,
      'the tick found something due and posted it (an overdue ack, an escalation, a reminder or a deadline warning)',
    ]);
    // The other steps were verified and held: the failure is the tick's alone. The expected
    // refusals were read back too: nothing posted, nothing recorded, the issue still open.
    expect(report.steps.filter((s) => !s.ok).map((s) => s.step)).toEqual(['incident-tick']);
    expect(report.steps.slice(3).map((s) => [s.step, s.code, s.expectations.map((e) => e.name)])).toEqual([
      ['post-update', 'INTERNAL_DETAIL', ['the refused update (INTERNAL_DETAIL) posted nothing on the incident issue']],
      ['record-notification', 'OBLIGATION_UNKNOWN', ['the refused record (OBLIGATION_UNKNOWN) left gdpr-authority unrecorded']],
      ['close-incident', 'CLOSE_GATE', ['the refused close (CLOSE_GATE) left the incident issue open', 'the issue is not labelled status:closed', 'no closing comment was posted', 'incident issue records close-incident refused']],
    ]);
  });
});
