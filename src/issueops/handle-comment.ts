import type { Octokit } from '@octokit/rest';
import * as z from 'zod/mini';
import { CAPABILITIES } from '../capabilities/registry.js';
import type { CapabilityDefinition } from '../capabilities/types.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import { errorView } from '../core/error-view.js';
import { InputError } from '../core/errors.js';
import { commandLineOf, parseSlashCommand, type SlashCommand } from '../core/issueops/command.js';
import { atLeast, roleOf, type RepositoryRole } from '../core/issueops/permission.js';
import type { Plan, Result } from '../core/plan.js';
import { Redactor } from '../core/redact.js';
import { renderPlanMarkdown, renderResultMarkdown } from '../core/render.js';
import type { GuardOverride } from '../core/step.js';
import type { SessionRun } from '../runtime/session.js';

/**
 * `/firebreak <capability> <args>` on an incident issue, in two phases that are two jobs:
 *
 *   plan  (reviewer-less, no cloud credentials): 👀, the commenter's permission, the command read
 *         by the capability's own schema; says which lane the second job takes.
 *   apply (bookkeeping: the incident environment; production: the protected environment and its
 *         reviewers, like a button): everything checked again from the same event payload, then
 *         the run through the session, a dry run unless `--apply`; the plan or the result as a
 *         reply, 👍 planned / 🚀 applied, or 👎 and the reason.
 *
 * The comment body is read only here, from the event payload; it never reaches a shell or a
 * workflow expression. Edits and deletes do nothing (`action` must be `created`).
 */

export const INCIDENT_LABEL = 'incident';

/** Which job applies: bookkeeping runs in the reviewer-less incident environment, the rest behind reviewers. */
export type ApplyLane = 'incident' | 'production';

export interface CommentDeps {
  octokit: Octokit;
  owner: string;
  repo: string;
  config: FirebreakConfig;
  run(req: { def: CapabilityDefinition; raw: Record<string, unknown>; dryRun: boolean; incidentId: string; overrides: GuardOverride[]; actor: string }): Promise<SessionRun<unknown>>;
  capabilities?: readonly CapabilityDefinition[];
}

export type CommentOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'planned'; capability: string; lane: ApplyLane; environment?: string }
  | { kind: 'applied'; capability: string; status: string }
  | { kind: 'failed'; capability: string; reason: string };

const eventSchema = z.looseObject({
  action: z.string(),
  issue: z.looseObject({
    number: z.number(),
    title: z.string(),
    labels: z.array(z.looseObject({ name: z.string() })),
    pull_request: z.optional(z.unknown()),
  }),
  comment: z.looseObject({ id: z.number(), body: z.nullish(z.string()), user: z.looseObject({ login: z.string(), type: z.optional(z.string()) }) }),
});

export async function handleComment(deps: CommentDeps, eventName: string, payload: unknown, phase: 'plan' | 'apply'): Promise<CommentOutcome> {
  if (eventName !== 'issue_comment') return { kind: 'ignored', reason: `${eventName} is not an issue comment` };
  const parsed = eventSchema.safeParse(payload);
  if (!parsed.success) return { kind: 'ignored', reason: 'the event is not an issue comment payload' };
  const ev = parsed.data;
  if (ev.action !== 'created') return { kind: 'ignored', reason: `comment ${ev.action}: only new comments run commands` };
  if (ev.issue.pull_request !== undefined) return { kind: 'ignored', reason: 'a pull request comment' };
  if (!ev.issue.labels.some((l) => l.name === INCIDENT_LABEL)) return { kind: 'ignored', reason: `issue #${ev.issue.number} is not labelled ${INCIDENT_LABEL}` };
  const line = commandLineOf(ev.comment.body ?? '');
  if (line === undefined) return { kind: 'ignored', reason: 'not a /firebreak command' };
  // Our own replies quote commands in code; a bot's comment never runs anything.
  if (ev.comment.user.type === 'Bot') return { kind: 'ignored', reason: 'comments by bots do not run commands' };

  const actor = ev.comment.user.login;
  const commentId = ev.comment.id;
  const react = (content: 'eyes' | '+1' | '-1' | 'rocket') => deps.octokit.rest.reactions.createForIssueComment({ owner: deps.owner, repo: deps.repo, comment_id: commentId, content });
  const reply = (body: string) => deps.octokit.rest.issues.createComment({ owner: deps.owner, repo: deps.repo, issue_number: ev.issue.number, body });
  const refuse = async (reason: string): Promise<CommentOutcome> => {
    await react('-1');
    await reply(`❌ @${actor}: \`/firebreak ${codeSpan(line.slice(0, 80))}\` was refused.\n\n${quoteBlock(reason)}`);
    return { kind: 'refused', reason };
  };

  if (phase === 'plan') await react('eyes');
  const id = /^\[(INC-[^\]]+)\]/.exec(ev.issue.title)?.[1];
  if (!id) return refuse(`issue #${ev.issue.number} has no incident id in its title ([INC-…]); it was not opened by declare.`);

  let command: SlashCommand;
  let def: CapabilityDefinition;
  try {
    const targets = (deps.capabilities ?? CAPABILITIES).filter((c) => c.status === 'built' && c.workflow !== false && c.incident !== 'creates');
    command = parseSlashCommand(line, targets, actor);
    def = targets.find((t) => t.slug === command.capability)!;
  } catch (error) {
    return refuse(errorText(error));
  }

  const minimum: RepositoryRole = deps.config.issueops.capabilities[def.slug] ?? deps.config.issueops.min_permission;
  const permission = await deps.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: deps.owner, repo: deps.repo, username: actor });
  const role = roleOf(permission.data);
  if (!atLeast(role, minimum)) return refuse(`@${actor} has the ${role} role on this repository; ${def.slug} from a comment needs ${minimum} or more (issueops in firebreak.yml).`);

  const lane = laneOf(def);
  const typedLine = `/firebreak ${codeSpan(line.slice(0, 120))}`;
  let environment: string | undefined;
  try {
    environment = applyEnvironment(command, lane, deps.config);
  } catch (error) {
    return refuse(errorText(error));
  }
  if (phase === 'plan') {
    if (lane === 'production') {
      await reply(`⏳ \`${typedLine}\` by @${actor}: the ${command.apply ? '**apply**' : 'dry run'} of ${def.slug} waits for a reviewer of the protected environment **${environment}** (the apply job of this workflow run), exactly like its button.`);
    }
    return { kind: 'planned', capability: def.slug, lane, ...(environment ? { environment } : {}) };
  }

  const dryRun = lane === 'production' && !command.apply;
  const run = await deps.run({ def, raw: command.raw, dryRun, incidentId: id, overrides: command.overrides, actor });
  if (run.failure !== undefined) {
    const reason = errorText(run.failure, run.redactor);
    await react('-1');
    await reply(`❌ \`${typedLine}\` by @${actor} ended **${run.status}**.\n\n${quoteBlock(reason)}`);
    return { kind: 'failed', capability: def.slug, reason };
  }
  if (dryRun) {
    const plan = run.run?.plan as Plan<unknown> | undefined;
    await reply(`📝 Plan for \`${typedLine}\` by @${actor} (${def.slug}, dry run: nothing changed):\n\n${plan ? renderPlanMarkdown(plan, { maxRows: 50 }) : '(no plan)'}\n\nComment the same command with \`--apply\` to make the change.`);
    await react('+1');
    return { kind: 'planned', capability: def.slug, lane, ...(environment ? { environment } : {}) };
  }
  await react('rocket');
  const result = run.run?.result as Result | undefined;
  if (lane === 'production' && result) await reply(`✅ \`${typedLine}\` by @${actor} applied.\n\n${renderResultMarkdown(def.slug, result, { maxRows: 50 })}`);
  return { kind: 'applied', capability: def.slug, status: run.status };
}

/**
 * Bookkeeping capabilities (their button applies by default and runs in a named, reviewer-less
 * environment) apply from a comment in the incident lane. Every run of a production capability,
 * dry runs included, runs behind the protected environment's reviewers, as its button does; it
 * applies only with `--apply`.
 */
export function laneOf(def: CapabilityDefinition): ApplyLane {
  if (def.workflow !== false && def.workflow.environment !== 'pick' && def.workflow.applyByDefault) return 'incident';
  return 'production';
}

/**
 * The protected environment a production command runs in: the one the comment names with
 * `--environment`, else the first of `issueops.environments`. Only a configured name ever comes
 * out (it becomes the apply job's `environment:`); any other text is refused with the list.
 * Bookkeeping runs in the incident environment, so naming one there is refused too.
 */
export function applyEnvironment(command: Pick<SlashCommand, 'environment'>, lane: ApplyLane, config: Pick<FirebreakConfig, 'issueops'>): string | undefined {
  const allowed = config.issueops.environments;
  if (lane === 'incident') {
    if (command.environment !== undefined) throw new InputError('this command is bookkeeping: it runs in the incident environment, without reviewers; leave out --environment', { field: 'environment', code: 'USAGE' });
    return undefined;
  }
  if (command.environment === undefined) return allowed[0]!;
  const named = allowed.find((e) => e === command.environment);
  if (!named) throw new InputError(`--environment ${JSON.stringify(command.environment.slice(0, 60))} is not a protected environment for comments; use one of ${allowed.join(', ')} (issueops.environments in firebreak.yml)`, { field: 'environment', code: 'ISSUEOPS_ENVIRONMENT' });
  return named;
}

function errorText(error: unknown, redactor = new Redactor()): string {
  if (error instanceof InputError || error instanceof Error) {
    const view = errorView(error, redactor);
    return `${view.code}: ${view.message}${view.hint ? `\n${view.hint}` : ''}`;
  }
  return String(error);
}

/** Untrusted text in a reply: inside a fence, so it cannot mention, link or format. */
function quoteBlock(text: string): string {
  return `~~~text\n${text.replace(/~~~/g, '~ ~ ~')}\n~~~`;
}

function codeSpan(text: string): string {
  return text.replace(/`/g, "'");
}
