import { readFile } from 'node:fs/promises';
import { parseConfig } from '../../core/config/parse.js';
import { deriveIncidentState } from '../../core/incident/state.js';
import { check, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { notifyChannelsReady } from '../notify/runbook-fixture.js';
import { drillConfig, incidentIssue, keyedComments } from '../../drill/runbook/incident-ledger.js';

/**
 * incident-tick: a runbook puts a tick where something is due (its `after:` moves the drill clock
 * past an acknowledgement window or a rung of the ladder), so the tick must have posted; each notice
 * it recorded is on the incident issue exactly once; and every `from: declared` rung of
 * incident.escalation whose time has come is on the issue exactly once (not twice by two ticks).
 */
export const incidentTickFixture: RunbookFixture = {
  async verify(world, outcome) {
    const out: Expectation[] = [];
    // The command prints a line per incident; what this run posted is in its record on the issue.
    const issue = await incidentIssue(world);
    const now = world.clock.now().toISOString();
    const ticks = issue?.records.filter((r) => r.step === 'incident-tick' && r.time === now) ?? [];
    const last = ticks[ticks.length - 1];
    out.push(check(`the tick ran for ${world.incidentId} and recorded it on the issue`, last?.status === 'applied', ticks.length ? `status ${last?.status}` : `no incident-tick record at ${now} (exit ${outcome.exitCode}): the command skips an incident with nothing due`));
    const posted = ((last?.result as { outcomes?: Array<{ target: string; subject: string; status: string }> } | null)?.outcomes ?? []).filter((o) => o.target === 'github:comment' && o.status === 'applied').map((o) => o.subject);
    out.push(check('the tick found something due and posted it (an overdue ack, an escalation, a reminder or a deadline warning)', posted.length > 0, 'nothing was due at this point of the drill: give the step an `after:` that passes the window it covers'));
    for (const key of posted) {
      const n = (await keyedComments(world, key)).length;
      out.push(check(`notice ${key} is on the incident issue exactly once`, n === 1, `${n} comment(s)`));
    }
    const { incident } = await drillConfig(world);
    const state = issue ? deriveIncidentState(issue.records, incident.containment_steps) : undefined;
    const declaredAt = state?.declaredAt;
    const severity = state?.severity;
    const elapsedMin = declaredAt ? (world.clock.now().getTime() - Date.parse(declaredAt)) / 60_000 : 0;
    for (const [i, rung] of incident.escalation.entries()) {
      if (rung.from !== 'declared' || rung.data_breach || elapsedMin < rung.after_minutes) continue;
      if (rung.severities && !rung.severities.includes(severity ?? '')) continue;
      const key = `escalate:${rung.notify}:${i}`;
      const n = (await keyedComments(world, key)).length;
      out.push(check(`escalation to ${rung.notify} (after ${rung.after_minutes} min) happened exactly once`, n === 1, `${n} comment(s) with key ${key} at ${Math.round(elapsedMin)} min`));
    }
    // Where the organisation pages escalations, the tick's notify hook paged each posted rung, once.
    const services = await notifyChannelsReady(world);
    const notify = parseConfig(await readFile(world.configFile, 'utf8')).notify;
    const paged = notify.routes.some((r) => r.events.includes('escalation') && r.channels.some((c) => notify.channels[c]?.kind === 'pagerduty'));
    for (const key of posted.filter((k) => k.startsWith('escalate:') && paged)) {
      const rung = `${world.incidentId}:rung:${key.split(':')[2]}`;
      const n = services?.pagerduty?.pages.filter((p) => p === rung).length ?? 0;
      out.push(check(`escalation ${key} paged PagerDuty once (${rung})`, n === 1, `${n} page(s): ${JSON.stringify(services?.pagerduty?.pages ?? [])}`));
    }
    return out;
  },
};
