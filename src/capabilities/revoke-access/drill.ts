import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { GetLoginProfileCommand, IAMClient, ListAccessKeysCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import { parseConfig } from '../../core/config/parse.js';
import { FirebreakError, PartialFailureError } from '../../core/errors.js';
import { runStep } from '../../core/step.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { buildAccessPorts } from '../../runtime/ports/access.js';
import { restoreAccessStep } from '../restore-access/step.js';
import { CONSOLE_PASSWORD, provisionAccessKit, type AccessKit } from './fixture.js';
import { revokeAccessStep } from './step.js';

/**
 * The seed runbooks' "disable or suspend the accounts, force password resets" step, drilled on every
 * provider revoke-access reaches: an IAM user and role and a Cognito user (moto), a GitHub member
 * and an invitee (the emulator). A GitHub failure half-way is reported per change and a re-run
 * converges; the last owner and an unknown user are refused with nothing changed; restore-access
 * puts back what was recorded and says what it cannot; no credential reaches the audit chain.
 */
let kit: AccessKit;
const CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export const revokeAccessScenario: DrillScenario = {
  name: 'revoke-access',
  description: 'revoke an IAM user and role, a Cognito user and GitHub access (moto, GitHub emulator), with a failure half-way, refusals, a restore and a canary search',
  needs: ['aws', 'github'],

  async setup(env) {
    kit = await provisionAccessKit(env.aws!, env.github!, 'drill');
  },

  async run(env) {
    const out: Expectation[] = [];
    const aws = env.aws!;
    const gh = env.github!;
    const org = gh.state.org;
    const ports = () => buildAccessPorts({ ...env.env, ...kit.env }, parseConfig('version: 1\n'), { sleep: env.sleep, timeoutMs: 5_000, callAttempts: 2 });
    const iam = new IAMClient({ region: 'us-east-1', endpoint: aws.directEndpoint, credentials: CREDS });
    const idp = new CognitoIdentityProviderClient({ region: aws.region, endpoint: aws.directEndpoint, credentials: CREDS });
    const code = (e: unknown) => (e instanceof FirebreakError ? e.code : String(e));
    const cognito = `aws:cognito-user:${kit.pool}/${kit.cognitoUser}@${aws.region}`;
    const targets = `aws:iam-user:${kit.user} aws:iam-role:${kit.role} ${cognito} github:user:eve github:user:trudy`;
    const raw = { targets, reason: 'drill: credentials leaked', revocationId: 'drill-revocation-1' };

    const lastOwner = await runStep(revokeAccessStep, { ...raw, targets: 'github:user:octo-owner github:user:second-owner' }, ports(), env.context()).catch((e: unknown) => e);
    out.push(checkEqual('the last organisation owners are refused', code(lastOwner), 'LAST_OWNER'));
    const unknown = await runStep(revokeAccessStep, { ...raw, targets: `${targets} aws:iam-user:nobody-drill` }, ports(), env.context()).catch((e: unknown) => e);
    out.push(checkEqual('an unknown principal refuses the whole run', code(unknown), 'PRINCIPAL_NOT_FOUND'));
    out.push(checkEqual('refused runs changed nothing', [org.member('eve')?.role, org.member('octo-owner')?.role], ['member', 'admin']));

    gh.faults.add({ method: 'DELETE', path: /\/memberships\/eve$/, status: 502, times: 2, body: { message: 'drill: GitHub is down', documentation_url: 'https://docs.github.com/rest', status: '502' } });
    const half = await runStep(revokeAccessStep, raw, ports(), env.context()).catch((e: unknown) => e);
    const outcomes = half instanceof PartialFailureError ? (half.result as { outcomes: Array<{ target: string; action: string; status: string }> }).outcomes : [];
    out.push(check('failure half-way: only the GitHub removal failed', outcomes.filter((o) => o.status === 'failed').map((o) => `${o.target} ${o.action}`).join() === 'github:user:eve remove-from-org', String(half)));
    out.push(check('failure half-way: everything else applied', outcomes.filter((o) => o.status === 'applied').length === 8, outcomes.map((o) => `${o.action}:${o.status}`).join()));
    const healed = await runStep(revokeAccessStep, raw, ports(), env.context());
    out.push(checkEqual('the re-run changes only what is left', healed.result?.outcomes.filter((o) => o.status === 'applied').map((o) => `${o.target} ${o.action}`), ['github:user:eve remove-from-org']));

    const keys = Object.fromEntries(((await iam.send(new ListAccessKeysCommand({ UserName: kit.user }))).AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId, k.Status]));
    out.push(checkEqual('IAM user: every key inactive', keys, { [kit.activeKey]: 'Inactive', [kit.inactiveKey]: 'Inactive' }));
    out.push(checkEqual('IAM user: deny-all attached', (await iam.send(new ListUserPoliciesCommand({ UserName: kit.user }))).PolicyNames, ['firebreak-deny-all']));
    const login = await iam.send(new GetLoginProfileCommand({ UserName: kit.user })).then(() => 'exists', (e: { name?: string }) => e.name ?? 'error');
    out.push(check('IAM user: console login deleted', /NoSuchEntity/.test(login), login));
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: kit.pool, Username: kit.cognitoUser }));
    out.push(checkEqual('Cognito: disabled, password reset required', [user.Enabled, user.UserStatus], [false, 'RESET_REQUIRED']));
    out.push(checkEqual('GitHub: removed from the organisation and its teams, invitation cancelled', [org.member('eve'), org.teams.get('payments')?.members.has('eve'), org.invitationFor('trudy')], [undefined, false, undefined]));

    const restored = await runStep(restoreAccessStep, { targets: `aws:iam-user:${kit.user} ${cognito} github:user:eve`, reason: 'drill: all clear' }, ports(), env.context());
    out.push(checkEqual('restore applied', restored.result?.status, 'ok'));
    const after = Object.fromEntries(((await iam.send(new ListAccessKeysCommand({ UserName: kit.user }))).AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId, k.Status]));
    out.push(checkEqual('restore: only the key that was active is active again', after, { [kit.activeKey]: 'Active', [kit.inactiveKey]: 'Inactive' }));
    out.push(checkEqual('restore: GitHub user invited back with their teams (pending)', [org.invitationFor('eve')?.role, org.teams.get('payments')?.members.get('eve')?.role], ['direct_member', 'maintainer']));
    out.push(
      checkEqual(
        'restore: what cannot be restored is reported, not skipped silently',
        restored.result?.outcomes.filter((o) => o.status === 'skipped').map((o) => `${o.target.split(':')[1]} ${o.subject}`),
        ['iam-user console-login', 'cognito-user password', 'cognito-user sessions'].map((s) => s),
      ),
    );

    const { readFile } = await import('node:fs/promises');
    const records = await readFile(env.auditFile, 'utf8');
    const secrets = [kit.activeSecret, CONSOLE_PASSWORD, gh.token];
    out.push(check('canary: no credential in the audit chain', secrets.every((s) => !records.includes(s))));
    out.push(check('the audit chain holds what each revocation replaced', records.includes(kit.activeKey) && records.includes('"passwordResetRequired":false')));
    iam.destroy();
    idp.destroy();
    return out;
  },
};
