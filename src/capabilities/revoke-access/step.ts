import { parsePrincipals, type Principal } from '../../core/access/principal.js';
import {
  DENY_ALL_POLICY,
  REVOKE_SESSIONS_POLICY,
  denyAllDocument,
  planRevoke,
  recordId,
  revokeSessionsDocument,
  type AccessRecord,
  type GitHubRevokeMode,
  type RecordedChange,
  type Snapshot,
} from '../../core/access/revocation.js';
import { ConflictError, GuardError, InputError, asError } from '../../core/errors.js';
import { readInputs } from '../../core/inputs.js';
import type { Change, Outcome, Plan, Unchanged } from '../../core/plan.js';
import type { AccessPorts } from '../../core/ports/access.js';
import { sanitiseText } from '../../core/ip/expiry.js';
import type { StepContext, StepDefinition } from '../../core/step.js';
import { cognitoParts, needGitHub, needLedger, readSnapshot, refuseSelfAndProtected } from '../shared/access-support.js';
import { revokeAccessInputs } from './inputs.js';

/**
 * revoke-access: cuts a principal off, and records what it changed so restore-access can put back
 * exactly that.
 *
 *   IAM user      deny-all inline policy, every active access key inactive, console login deleted
 *   IAM role      inline policy denying sessions issued before now (aws:TokenIssueTime)
 *   Cognito user  password reset forced, global sign-out, disabled
 *   GitHub user   pending invitations cancelled; removed from the organisation, from some teams,
 *                 or converted to an outside collaborator
 *
 * Order per principal: refuse (unknown, self, protected, last owner) → read state → plan only what
 * is not revoked yet → write the ledger record (the state each change replaces) → apply → rewrite
 * the record with each change's outcome. A re-run of the same revocation reuses its record, so the
 * state recorded is the one before the first attempt, never the half-revoked one.
 */

export interface RevokeAccessInput {
  principals: Principal[];
  reason: string;
  github: { mode: GitHubRevokeMode; teams: string[] };
  revocationId: string | undefined;
}

interface PrincipalPlan {
  principal: string;
  kind: Principal['kind'];
  recordId: string;
  changes: RecordedChange[];
}

export interface RevokeMeta {
  revocationId: string;
  /** The cut-off of role session revocations (the plan's time). */
  now: string;
  principals: PrincipalPlan[];
}

const NAME = 'revoke-access';
const TEAM_SLUG = /^[a-z0-9_.-]{1,100}$/;

export const revokeAccessStep: StepDefinition<RevokeAccessInput, AccessPorts, RevokeMeta> = {
  name: NAME,
  description: 'Revoke access of IAM users and roles, Cognito users and GitHub organisation members, recording what changed so it can be restored',

  parse(raw) {
    const v = readInputs(revokeAccessInputs, raw);
    const principals = parsePrincipals(v.targets);
    const reason = sanitiseText(v.reason, 200);
    if (reason.length < 3) throw new InputError('reason is required (why access is revoked, in a few words)', { field: 'reason', code: 'REASON_MISSING' });
    const mode = v.github as GitHubRevokeMode;
    const teams = (v.teams ?? '').split(/[\s,]+/).filter((t) => t !== '');
    for (const t of teams) if (!TEAM_SLUG.test(t)) throw new InputError(`teams: ${JSON.stringify(t.slice(0, 40))} is not a team slug`, { field: 'teams', code: 'INPUT_INVALID' });
    if (mode === 'remove-from-teams' && teams.length === 0) throw new InputError('github remove-from-teams needs `teams`: the team slugs to remove the user from', { field: 'teams', code: 'INPUT_MISSING' });
    if (mode !== 'remove-from-teams' && teams.length > 0) throw new InputError(`teams apply only to github remove-from-teams (github is ${mode})`, { field: 'teams', code: 'INPUT_CONFLICT' });
    return { principals, reason, github: { mode, teams }, revocationId: v.revocationId };
  },

  async plan(input, ports, ctx) {
    const ledger = needLedger(ports);
    const revocationId = revocationIdOf(input, ctx);
    await refuseSelfAndProtected(input.principals, ports, ctx);
    const now = ctx.clock.now();
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = [];
    const meta: RevokeMeta = { revocationId, now: now.toISOString(), principals: [] };
    const snapshots = new Map<string, Snapshot>();
    const earlier = new Map<string, Awaited<ReturnType<typeof ledger.get>>>();
    // Every principal is read (and refused if unknown) before any is planned: one typo refuses the
    // run. One this revocation already removed from the organisation is known from its record.
    for (const p of input.principals) {
      const found = await ledger.get(p.label, recordId(p.label, revocationId));
      earlier.set(p.label, found);
      snapshots.set(p.label, await readSnapshot(p, ports, { inOrg: found === undefined }));
    }
    if (input.github.mode === 'remove-from-teams') {
      for (const p of input.principals.filter((x) => x.kind === 'github-user')) {
        const s = snapshots.get(p.label)!;
        if (s.kind !== 'github-user') continue;
        const unknown = input.github.teams.filter((t) => !s.orgTeams.includes(t));
        if (unknown.length > 0) {
          throw new InputError(`teams: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a team' : 'are not teams'} of ${s.org}`, {
            field: 'teams',
            code: 'TEAM_NOT_FOUND',
            hint: `Teams of ${s.org}: ${s.orgTeams.slice(0, 20).join(', ') || 'none'}. Nothing was changed.`,
          });
        }
        if (!s.membership && s.teams.length === 0) warnings.push(`${p.label} is not a member of ${s.org}; only invitations are cancelled`);
      }
    }
    for (const p of input.principals) {
      const id = recordId(p.label, revocationId);
      const found = earlier.get(p.label);
      if (found?.restored) {
        throw new ConflictError(`${p.label}: revocation ${revocationId} was restored since; running it again would record the restored state as the state before`, {
          code: 'REVOCATION_RESTORED',
          hint: 'To revoke again, pass a new revocation-id. Nothing was changed.',
        });
      }
      const planned = planRevoke(snapshots.get(p.label)!, { revocationId, now, github: input.github, earlier: found?.record });
      for (const c of planned.changes) changes.push({ target: p.label, action: c.action, subject: c.subject, detail: { prior: c.prior } });
      for (const u of planned.unchanged) unchanged.push({ target: p.label, subject: u.subject, reason: u.reason });
      if (planned.changes.length > 0) meta.principals.push({ principal: p.label, kind: p.kind, recordId: id, changes: planned.changes });
    }
    await refuseLastOwner(meta, ports);
    const manual = meta.principals.flatMap((p) => p.changes.filter((c) => c.action === 'delete-login-profile').map(() => p.principal));
    for (const m of manual) warnings.push(`${m}: the console password is deleted; restore-access does not recreate it (an administrator sets a new one out of band)`);
    return { step: NAME, changes, unchanged, warnings, meta };
  },

  async apply(plan, input, ports, ctx) {
    const meta = plan.meta!;
    const ledger = needLedger(ports);
    const outcomes: Outcome[] = [];
    for (const pp of meta.principals) {
      const p = input.principals.find((x) => x.label === pp.principal)!;
      const out = (c: RecordedChange, status: Outcome['status'], reason?: string): Outcome => ({ target: pp.principal, action: c.action, subject: c.subject, status, ...(reason ? { reason: ctx.redactor.scrub(reason) } : {}) });
      let record: AccessRecord;
      try {
        record = await recordFirst(pp, meta, input.reason, ports, ctx);
      } catch (e) {
        // Without the record a restore could not know what to put back: change nothing on this one.
        for (const c of pp.changes) outcomes.push(out(c, 'failed', `not applied: the access ledger (${ledger.location}) could not record it first: ${asError(e).message}`));
        continue;
      }
      // Each change is tried even when one before it failed: every credential cut is worth having.
      for (const c of pp.changes) {
        try {
          await applyChange(p, c, meta, ports);
          mark(record, c, 'applied');
          outcomes.push(out(c, 'applied', describeApplied(c)));
        } catch (e) {
          mark(record, c, 'failed');
          outcomes.push(out(c, 'failed', `${asError(e).message}. Re-run the same revocation: it finishes what is left and keeps the recorded state.`));
        }
      }
      record.updatedAt = ctx.clock.now().toISOString();
      try {
        await ledger.put(record);
      } catch (e) {
        // The record written before apply lists every change as planned; restore compares with the
        // live state, so it still puts back what was changed.
        ctx.logger.warn(`${pp.principal}: the access ledger record could not be updated after the changes (${asError(e).message}); it lists them as planned`);
      }
    }
    return outcomes;
  },
};

function mark(record: AccessRecord, c: RecordedChange, status: 'applied' | 'failed'): void {
  const r = record.changes.find((x) => x.action === c.action && x.subject === c.subject);
  if (r) r.status = status;
}

/** Writes (or extends) this revocation's record before anything changes; returns it. */
async function recordFirst(pp: PrincipalPlan, meta: RevokeMeta, reason: string, ports: AccessPorts, ctx: StepContext): Promise<AccessRecord> {
  const ledger = needLedger(ports);
  const at = ctx.clock.now().toISOString();
  const earlier = (await ledger.get(pp.principal, pp.recordId))?.record;
  const record: AccessRecord = earlier ?? {
    v: 1,
    id: pp.recordId,
    revocationId: meta.revocationId,
    principal: pp.principal,
    kind: pp.kind,
    createdAt: at,
    updatedAt: at,
    actor: ctx.actor,
    incidentId: ctx.incidentId,
    runUrl: ctx.runUrl,
    reason,
    changes: [],
  };
  for (const c of pp.changes) {
    const have = record.changes.find((x) => x.action === c.action && x.subject === c.subject);
    // The first attempt saw the state before the revocation; keep it.
    if (have) have.status = 'planned';
    else record.changes.push({ ...c, status: 'planned' });
  }
  record.updatedAt = at;
  await ledger.put(record);
  return record;
}

async function applyChange(p: Principal, c: RecordedChange, meta: RevokeMeta, ports: AccessPorts): Promise<void> {
  switch (c.action) {
    case 'deny-all':
      return ports.iam!.putUserPolicy(p.target.id, DENY_ALL_POLICY, denyAllDocument());
    case 'deactivate-key':
      return ports.iam!.setAccessKeyStatus(p.target.id, c.subject, 'Inactive');
    case 'delete-login-profile':
      return ports.iam!.deleteLoginProfile(p.target.id);
    case 'revoke-sessions':
      return ports.iam!.putRolePolicy(p.target.id, REVOKE_SESSIONS_POLICY, revokeSessionsDocument(new Date(meta.now), meta.revocationId));
    case 'force-password-reset':
    case 'global-sign-out':
    case 'disable': {
      const { pool, username, region } = cognitoParts(p);
      const users = ports.cognito!(region);
      if (c.action === 'force-password-reset') return users.resetPassword(pool, username);
      if (c.action === 'global-sign-out') return users.globalSignOut(pool, username);
      return users.disable(pool, username);
    }
    case 'cancel-invitation': {
      const { gh, org } = needGitHub(ports);
      return gh.cancelInvitation(org, Number(c.prior.id));
    }
    case 'remove-from-org': {
      const { gh, org } = needGitHub(ports);
      return gh.removeMember(org, p.target.id);
    }
    case 'convert-to-outside-collaborator': {
      const { gh, org } = needGitHub(ports);
      return gh.convertToOutsideCollaborator(org, p.target.id);
    }
    case 'remove-from-team': {
      const { gh, org } = needGitHub(ports);
      return gh.removeFromTeam(org, String(c.prior.team), p.target.id);
    }
  }
}

function describeApplied(c: RecordedChange): string {
  switch (c.action) {
    case 'deny-all':
      return `inline policy ${DENY_ALL_POLICY} denies every action`;
    case 'deactivate-key':
      return 'access key inactive (was Active)';
    case 'delete-login-profile':
      return 'console login deleted; no password was read or recorded';
    case 'revoke-sessions':
      return `sessions issued before the cut-off are denied (${REVOKE_SESSIONS_POLICY})`;
    case 'force-password-reset':
      return `password reset required (was ${String(c.prior.status)})`;
    case 'global-sign-out':
      return 'refresh tokens revoked';
    case 'disable':
      return 'user disabled';
    case 'cancel-invitation':
      return `invitation ${String(c.prior.id)} (${String(c.prior.role)}) cancelled`;
    case 'remove-from-org':
      return `removed from the organisation (was ${String(c.prior.role)}${teamsText(c)})`;
    case 'convert-to-outside-collaborator':
      return `now an outside collaborator (was ${String(c.prior.role)}${teamsText(c)})`;
    case 'remove-from-team':
      return `removed from team ${String(c.prior.team)} (was ${String(c.prior.role)})`;
  }
}

function teamsText(c: RecordedChange): string {
  const teams = Array.isArray(c.prior.teams) ? (c.prior.teams as Array<{ team: string }>) : [];
  return teams.length ? `; teams ${teams.map((t) => t.team).join(', ')}` : '';
}

/** The organisation keeps at least one owner: removing (or converting) every owner is refused. */
async function refuseLastOwner(meta: RevokeMeta, ports: AccessPorts): Promise<void> {
  const leaving = meta.principals.filter((p) => p.changes.some((c) => (c.action === 'remove-from-org' || c.action === 'convert-to-outside-collaborator') && c.prior.role === 'admin'));
  if (leaving.length === 0) return;
  const { gh, org } = needGitHub(ports);
  const owners = await gh.owners(org);
  const logins = new Set(leaving.map((p) => p.principal.replace(/^github:user:/, '').toLowerCase()));
  const remaining = owners.filter((o) => !logins.has(o.toLowerCase()));
  if (remaining.length === 0) {
    throw new GuardError(`${[...logins].join(', ')} ${logins.size === 1 ? 'is' : 'are'} the last owner${logins.size === 1 ? '' : 's'} of ${org}: the organisation would have no owner`, {
      code: 'LAST_OWNER',
      overridable: false,
      hint: 'Make another trusted person an owner first, or use github remove-from-teams. Nothing was changed.',
    });
  }
}

function revocationIdOf(input: RevokeAccessInput, ctx: StepContext): string {
  if (input.revocationId) return `id:${input.revocationId}`;
  if (ctx.runUrl) return `run:${ctx.runUrl}`;
  if (ctx.incidentId) return `incident:${ctx.incidentId}`;
  throw new InputError('revocation-id is required outside a workflow run and an incident: a re-run needs it to finish this revocation instead of starting another', {
    field: 'revocation-id',
    code: 'INPUT_MISSING',
  });
}
