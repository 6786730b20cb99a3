import { InputError } from '../../core/errors.js';
import { postmortemPath, renderPostmortem } from '../../core/incident/render.js';
import { INCIDENT_STEPS } from '../../core/incident/state.js';
import type { Outcome, Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { postmortemBranch } from '../close-incident/step.js';
import { T_ISSUE, T_PULL, loadIncident, optionalString, shortHash, requireIncidentId, type IncidentPorts } from '../shared/incident-support.js';

/**
 * write-postmortem: opens a PR with the postmortem at the configured path, built from the audit
 * trail (timeline table + Mermaid chart, containment, regulatory notifications), with impact, root
 * cause and a five-whys skeleton to fill in; each action item becomes an issue linked from it.
 */
export interface PostmortemStepInput {
  impact: string | undefined;
  root_cause: string | undefined;
  action_items: string[];
}

export const writePostmortemStep: StepDefinition<PostmortemStepInput, IncidentPorts> = {
  name: INCIDENT_STEPS.postmortem,
  description: 'Opens the postmortem PR built from the audit trail, and an issue per action item.',
  parse(raw) {
    const items = raw.action_items;
    let action_items: string[] = [];
    if (typeof items === 'string') action_items = items.split('\n').map((s) => s.replace(/^\s*[-*]\s*/, '').trim()).filter(Boolean);
    else if (Array.isArray(items)) action_items = items.map((s) => String(s).trim()).filter(Boolean);
    else if (items !== undefined && items !== null) throw new InputError('action_items must be a list or lines of text', { field: 'action_items' });
    if (action_items.some((a) => a.length > 300)) throw new InputError('an action item is longer than 300 characters', { field: 'action_items' });
    return { impact: optionalString(raw, 'impact', 5000), root_cause: optionalString(raw, 'root_cause', 10_000), action_items };
  },
  async plan(input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const { state } = loaded;
    const branch = postmortemBranch(state.id);
    const existing = await ports.ledger.findPullByBranch(branch);
    const path = existing && state.postmortem ? state.postmortem.path : postmortemPath(ports.config.postmortem.path, state, ctx.clock.now());
    const plan: Plan = { step: this.name, changes: [], unchanged: [], warnings: [], meta: { path, branch } };
    for (const item of input.action_items) plan.changes.push({ target: T_ISSUE, action: 'open', subject: `action:${shortHash(state.id, item)}`, detail: { title: item } });
    // A PR closed without merging was dropped: it does not count, a new one is opened from the branch.
    if (existing && (existing.state === 'open' || existing.merged)) plan.unchanged.push({ target: T_PULL, subject: branch, reason: `postmortem PR #${existing.number} already ${existing.merged ? 'merged' : 'open'}` });
    else {
      if (existing) plan.warnings.push(`postmortem PR #${existing.number} was closed without merging; opening a new one`);
      plan.changes.push({ target: T_PULL, action: 'open', subject: branch, detail: { path } });
    }
    return plan;
  },
  async apply(plan, input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const { path, branch } = plan.meta as { path: string; branch: string };
    const out: Outcome[] = [];
    const items: Array<{ text: string; issue?: number; url?: string }> = [];
    for (const text of input.action_items) {
      const key = `action:${shortHash(loaded.state.id, text)}`;
      try {
        const r = await ports.ledger.openKeyedIssue(key, text, `Action item from the postmortem of ${loaded.state.id} (#${loaded.issue.number}).`, ['postmortem-action']);
        items.push({ text, issue: r.number, url: r.url });
        out.push({ target: T_ISSUE, action: 'open', subject: key, status: r.outcome === 'created' ? 'applied' : 'already' });
      } catch (error) {
        items.push({ text });
        out.push({ target: T_ISSUE, action: 'open', subject: key, status: 'failed', reason: (error as Error).message, retryable: true });
      }
    }
    if (plan.changes.some((c) => c.target === T_PULL)) {
      const content = renderPostmortem({ state: loaded.state, obligations: loaded.obligations, config: ports.config, actionItems: items, impact: input.impact, rootCause: input.root_cause, now: ctx.clock.now() });
      try {
        const r = await ports.ledger.openFilePull({
          branch,
          base: ports.config.postmortem.base_branch,
          path,
          content,
          title: `Postmortem: ${loaded.state.id} ${loaded.state.title}`,
          body: `Postmortem for #${loaded.issue.number}, generated from its audit trail. Fill in root cause, five whys, what went well and badly.`,
          message: `docs: postmortem for ${loaded.state.id}`,
        });
        out.push({ target: T_PULL, action: 'open', subject: branch, status: r.outcome === 'created' ? 'applied' : 'already', reason: `#${r.pull.number}` });
      } catch (error) {
        out.push({ target: T_PULL, action: 'open', subject: branch, status: 'failed', reason: (error as Error).message, retryable: true });
      }
    }
    return out;
  },
};
