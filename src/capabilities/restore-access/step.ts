import { parsePrincipals, type Principal } from '../../core/access/principal.js';
import { DENY_ALL_POLICY, REVOKE_SESSIONS_POLICY, mergeRecords, planRestore, recordId, type RestoreAction } from '../../core/access/revocation.js';
import { InputError, asError } from '../../core/errors.js';
import { readInputs } from '../../core/inputs.js';
import { sanitiseText } from '../../core/ip/expiry.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import type { AccessPorts } from '../../core/ports/access.js';
import type { StepDefinition } from '../../core/step.js';
import { cognitoParts, needGitHub, needLedger, readSnapshot } from '../shared/access-support.js';
import { restoreAccessInputs } from './inputs.js';

/**
 * restore-access: puts back what revoke-access recorded in the access ledger, compared with the
 * live state, and nothing else. A key deleted since stays deleted, a console password is never
 * invented, signed-out sessions stay signed out: each says so in the result instead of passing
 * silently. The records are marked restored (with who and why) only when nothing failed, so a
 * re-run after a failure finishes the restore.
 */

export interface RestoreAccessInput {
  principals: Principal[];
  reason: string;
  revocationId: string | undefined;
}

interface RestoreMeta {
  reason: string;
  principals: Array<{ principal: string; records: string[] }>;
}

const NAME = 'restore-access';

/** Keys back before the deny-all goes, so the user never has more than before at any moment. */
const ORDER: Record<RestoreAction | 'mark-restored', number> = {
  'activate-key': 1,
  'restore-sessions-policy': 2,
  enable: 3,
  'invite-to-org': 4,
  'add-to-team': 5,
  'remove-deny-all': 6,
  'recreate-login-profile': 7,
  none: 8,
  'mark-restored': 9,
};

export const restoreAccessStep: StepDefinition<RestoreAccessInput, AccessPorts, RestoreMeta> = {
  name: NAME,
  description: 'Put back the access revoke-access removed, exactly as its ledger recorded it, with a reason',

  parse(raw) {
    const v = readInputs(restoreAccessInputs, raw);
    const reason = sanitiseText(v.reason, 200);
    if (reason.length < 3) throw new InputError('reason is required: why access is given back', { field: 'reason', code: 'REASON_MISSING' });
    return { principals: parsePrincipals(v.targets), reason, revocationId: v.revocationId };
  },

  async plan(input, ports) {
    const ledger = needLedger(ports);
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = [];
    const meta: RestoreMeta = { reason: input.reason, principals: [] };
    for (const p of input.principals) {
      let records = await ledger.open(p.label);
      if (input.revocationId) {
        const given = input.revocationId;
        // The id as typed at revoke time, its recorded form (`id:…`, `run:<url>`), or the record id.
        records = records.filter((r) => r.revocationId === `id:${given}` || r.revocationId === given || matches(r.id, given, p.label));
      }
      if (records.length === 0) {
        const marks = (await ledger.restored(p.label)).filter((m) => !input.revocationId || matches(m.id, input.revocationId, p.label));
        const last = marks.at(-1);
        if (last) {
          // A re-run of a finished restore: done, not an error.
          unchanged.push({ target: p.label, subject: 'access', reason: `already restored by ${last.actor} at ${last.restoredAt}: ${last.reason}` });
          continue;
        }
        throw new InputError(`${p.label}: no revocation to restore in the access ledger (${ledger.location})${input.revocationId ? ` for revocation-id ${input.revocationId}` : ''}`, {
          field: 'targets',
          code: 'NOTHING_TO_RESTORE',
          hint: 'restore-access puts back only what revoke-access recorded (and not restored yet). Nothing was changed.',
        });
      }
      const snapshot = await readSnapshot(p, ports, { inOrg: false });
      const steps = planRestore(mergeRecords(records), snapshot, p.label).sort((a, b) => ORDER[a.action] - ORDER[b.action]);
      for (const s of steps) {
        if (s.kind === 'already') unchanged.push({ target: p.label, subject: s.subject, reason: s.reason });
        else changes.push({ target: p.label, action: s.kind === 'manual' ? `${s.action === 'none' ? 'not-restorable' : s.action}` : s.action, subject: s.subject, detail: { ...s.detail, manual: s.kind === 'manual', why: s.reason, from: s.from } });
        if (s.kind === 'manual') warnings.push(`${p.label} ${s.subject}: ${s.reason}`);
      }
      changes.push({ target: p.label, action: 'mark-restored', subject: `ledger: ${records.length} revocation record(s)`, detail: { records: records.map((r) => r.id), reason: input.reason } });
      meta.principals.push({ principal: p.label, records: records.map((r) => r.id) });
    }
    return { step: NAME, changes, unchanged, warnings, meta };
  },

  async apply(plan, input, ports, ctx) {
    const ledger = needLedger(ports);
    const outcomes: Outcome[] = [];
    for (const pm of plan.meta!.principals) {
      const p = input.principals.find((x) => x.label === pm.principal)!;
      const mine = plan.changes.filter((c) => c.target === pm.principal);
      let failed = false;
      for (const c of mine) {
        const out = (status: Outcome['status'], reason: string): Outcome => ({ target: c.target, action: c.action, subject: c.subject, status, reason: ctx.redactor.scrub(reason) });
        if (c.action === 'mark-restored') {
          if (failed) {
            outcomes.push(out('skipped', 'records stay open: fix the failures above and re-run restore-access, it continues from the live state'));
            continue;
          }
          try {
            const at = ctx.clock.now().toISOString();
            for (const id of pm.records) await ledger.markRestored(pm.principal, { id, restoredAt: at, actor: ctx.actor, reason: plan.meta!.reason, runUrl: ctx.runUrl });
            outcomes.push(out('applied', `marked restored by ${ctx.actor}: ${plan.meta!.reason}`));
          } catch (e) {
            outcomes.push(out('failed', `access was restored but the ledger records could not be marked: ${asError(e).message}. Re-run: it finds nothing left to change and marks them.`));
          }
          continue;
        }
        if (c.detail?.manual === true) {
          outcomes.push(out('skipped', String(c.detail.why)));
          continue;
        }
        try {
          await applyRestore(p, c, ports);
          outcomes.push(out('applied', doneText(c)));
        } catch (e) {
          failed = true;
          outcomes.push(out('failed', `${asError(e).message}. Re-run restore-access with the same targets: it continues from the live state.`));
        }
      }
    }
    return outcomes;
  },
};

/** What an applied restore change did, in the past tense. */
function doneText(c: Change): string {
  const d = c.detail ?? {};
  switch (c.action) {
    case 'activate-key':
      return 'access key active again (it was Active before the revocation)';
    case 'remove-deny-all':
      return `inline policy ${DENY_ALL_POLICY} detached`;
    case 'restore-sessions-policy':
      return typeof d.document === 'string' ? 'the session policy attached before the revocation is back' : `inline policy ${REVOKE_SESSIONS_POLICY} detached`;
    case 'enable':
      return 'user enabled again';
    case 'invite-to-org':
      return `invited back as ${String(d.role)}; a member again once they accept the invitation`;
    case 'add-to-team':
      return `added back to team ${String(d.team)} as ${String(d.role)} (pending until they are a member)`;
    default:
      return String(d.why ?? 'restored');
  }
}

/** A record id given as such, or derived from the revocation id as typed. */
function matches(id: string, given: string, principal: string): boolean {
  return id === given || id === recordId(principal, `id:${given}`) || id === recordId(principal, given);
}

async function applyRestore(p: Principal, c: Change, ports: AccessPorts): Promise<void> {
  const detail = c.detail ?? {};
  switch (c.action) {
    case 'activate-key':
      return ports.iam!.setAccessKeyStatus(p.target.id, c.subject, 'Active');
    case 'remove-deny-all':
      return ports.iam!.deleteUserPolicy(p.target.id, DENY_ALL_POLICY);
    case 'restore-sessions-policy':
      if (typeof detail.document === 'string') return ports.iam!.putRolePolicy(p.target.id, REVOKE_SESSIONS_POLICY, detail.document);
      return ports.iam!.deleteRolePolicy(p.target.id, REVOKE_SESSIONS_POLICY);
    case 'enable': {
      const { pool, username, region } = cognitoParts(p);
      return ports.cognito!(region).enable(pool, username);
    }
    case 'invite-to-org': {
      const { gh, org } = needGitHub(ports);
      return gh.setMembership(org, p.target.id, detail.role === 'admin' ? 'admin' : 'member');
    }
    case 'add-to-team': {
      const { gh, org } = needGitHub(ports);
      return gh.addToTeam(org, String(detail.team), p.target.id, detail.role === 'maintainer' ? 'maintainer' : 'member');
    }
    default:
      throw new Error(`restore-access has no way to apply ${c.action}`);
  }
}
