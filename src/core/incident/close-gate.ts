import { GuardError } from '../errors.js';
import type { Obligation } from './clock.js';
import type { IncidentState } from './state.js';

/**
 * An incident may close when (seed 002, Step 5): the vector is closed (containment recorded), every
 * obligation is sent or waived with a reason, the durable fix is merged, and the postmortem PR is
 * open. Anything else needs an override with a reason, which the audit record keeps.
 */

export const CLOSE_GATE = 'CLOSE_GATE';

export interface PullFacts {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
}

export interface CloseGateInput {
  state: IncidentState;
  obligations: readonly Obligation[];
  fixPrs: readonly PullFacts[];
  postmortemPr: PullFacts | undefined;
}

export interface GateProblem {
  code: 'CONTAINMENT_MISSING' | 'OBLIGATIONS_OPEN' | 'FIX_PR_MISSING' | 'FIX_PR_NOT_MERGED' | 'POSTMORTEM_PR_MISSING' | 'ALREADY_CLOSED';
  message: string;
}

export function checkCloseGate(input: CloseGateInput): GateProblem[] {
  const p: GateProblem[] = [];
  const { state } = input;
  if (state.containment.length === 0) {
    p.push({ code: 'CONTAINMENT_MISSING', message: 'no containment step has been applied for this incident (run one with the incident id, or record-containment for manual action)' });
  }
  const open = input.obligations.filter((o) => {
    const n = state.notifications.get(o.id);
    return !(n && (n.sentAt || (n.waived && n.waived.trim() !== '')));
  });
  if (open.length) p.push({ code: 'OBLIGATIONS_OPEN', message: `obligations neither sent nor waived: ${open.map((o) => `${o.id} (due ${o.due})`).join(', ')}` });
  if (input.fixPrs.length === 0) p.push({ code: 'FIX_PR_MISSING', message: 'no fix PR is linked (post-update --fix-pr N or close-incident --fix-pr N)' });
  else {
    const unmerged = input.fixPrs.filter((pr) => !pr.merged);
    if (unmerged.length) p.push({ code: 'FIX_PR_NOT_MERGED', message: `fix PR not merged: ${unmerged.map((u) => `#${u.number}`).join(', ')}` });
  }
  // Open (under review) or merged (accepted) counts; closed without merging means it was dropped.
  const pm = input.postmortemPr;
  if (!pm) {
    p.push({ code: 'POSTMORTEM_PR_MISSING', message: 'no open postmortem PR (run write-postmortem first)' });
  } else if (pm.state !== 'open' && pm.merged !== true) {
    p.push({ code: 'POSTMORTEM_PR_MISSING', message: `postmortem PR #${pm.number} was closed without merging (reopen it, or run write-postmortem again)` });
  }
  return p;
}

export function closeGateError(problems: GateProblem[]): GuardError {
  return new GuardError(`cannot close: ${problems.map((x) => x.message).join('; ')}`, {
    code: CLOSE_GATE,
    hint: `Resolve each item, or close anyway with --override-guard ${CLOSE_GATE} --override-reason "<why>" (recorded in the audit trail).`,
    details: { problems },
  });
}
