import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runDoctor, type DoctorPorts } from '../../adopt/doctor.js';
import { CAPABILITIES } from '../../capabilities/registry.js';
import { InputError } from '../../core/errors.js';
import { awsClientConfig, nonEmpty } from '../../runtime/clients.js';
import { githubClient } from '../../runtime/github-client.js';
import { ENV } from '../../runtime/env.js';
import { globalsOf, ioOf, printJson } from '../io.js';
import { COMMANDS } from './index.js';

const MARK = { ok: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' } as const;

/**
 * `firebreak doctor`: checks a repository that adopted firebreak. Config valid, workflows pinned and
 * gated, runbooks fresh; with a GitHub token, the environments and kit variables; with AWS
 * credentials, that the responder role can be assumed. Read-only.
 */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('check that this repository is ready for an incident (config, workflows, runbooks, environments, role)')
    .option('--dir <path>', 'the repository to check', '.')
    .option('--repository <owner/name>', `the GitHub repository (default: $${ENV.githubRepository})`)
    .option('--role-arn <arn>', 'responder role to try (default: the environment variable the kit wrote)')
    .action(async (o: { dir: string; repository?: string; roleArn?: string }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const root = resolve(io.cwd, o.dir);
      const commands = new Set([...COMMANDS.flatMap(([names]) => names), 'init', 'doctor', ...CAPABILITIES.map((c) => c.slug)]);
      const ports: DoctorPorts = { root, today: io.clock?.now() ?? new Date(), commands, ...(o.roleArn ? { roleArn: o.roleArn } : {}) };
      const token = nonEmpty(io.env[ENV.githubToken]) ?? nonEmpty(io.env[ENV.githubDefaultToken]);
      if (token) {
        const repository = o.repository ?? nonEmpty(io.env[ENV.githubRepository]);
        if (!repository || !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository)) throw new InputError('with a GitHub token, --repository owner/name (or GITHUB_REPOSITORY) is required', { field: 'repository' });
        const [owner, repo] = repository.split('/') as [string, string];
        ports.github = { octokit: githubClient(io.env), owner, repo };
      }
      if (nonEmpty(io.env.AWS_ACCESS_KEY_ID) || nonEmpty(io.env.AWS_PROFILE) || nonEmpty(io.env.AWS_WEB_IDENTITY_TOKEN_FILE)) {
        ports.assumeRole = async (roleArn) => {
          const { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
          const sts = new STSClient(awsClientConfig(io.env));
          try {
            const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'firebreak-doctor', DurationSeconds: 900 }));
            const c = out.Credentials;
            if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
            const as = new STSClient({ ...awsClientConfig(io.env), credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}) } });
            try {
              return (await as.send(new GetCallerIdentityCommand({}))).Arn ?? 'an unknown identity';
            } finally {
              as.destroy();
            }
          } finally {
            sts.destroy();
          }
        };
      }
      const report = await runDoctor(ports);
      if (!json) for (const c of report.checks) io.stdout(`${MARK[c.status]} ${c.name}: ${c.details.join('\n       ')}`);
      if (!report.ok) {
        // With --json the checks travel in the error's details: one JSON document on stdout.
        throw new InputError(`${report.checks.filter((c) => c.status === 'fail').map((c) => c.name).join(', ')} failed`, {
          code: 'DOCTOR_FAILED',
          hint: 'Fix each FAIL line above and run `firebreak doctor` again.',
          details: { checks: report.checks },
        });
      }
      if (json) printJson(io, report);
    });
}
