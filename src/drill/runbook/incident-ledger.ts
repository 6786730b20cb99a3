import { readFile } from 'node:fs/promises';
import { parseConfig } from '../../core/config/parse.js';
import type { FirebreakConfig } from '../../core/config/schema.js';
import { GitHubIncidentLedger } from '../../providers/github/incident-ledger.js';
import { githubClient } from '../../runtime/github-client.js';
import type { AuditRecord } from '../../core/audit.js';
import type { RunbookWorld } from './world.js';

/** The incident issue of a runbook drill, read back through the same ledger the steps write. */
export async function incidentIssue(world: RunbookWorld): Promise<{ number: number; labels: string[]; state: string; records: AuditRecord[] } | undefined> {
  const gh = await world.github();
  if (!world.incidentId) return undefined;
  const ledger = new GitHubIncidentLedger(githubClient(gh.env()), { owner: gh.owner, repo: gh.repo, sleep: async () => {} });
  const issue = await ledger.findIncident(world.incidentId);
  if (!issue) return undefined;
  const raw = gh.state.issues.get(issue.number);
  return { number: issue.number, labels: issue.labels, state: raw?.state ?? 'open', records: await ledger.readRecords(issue.number) };
}

/** The incident issue holds a record of this step with this status (the mirror of the audit chain). */
export async function recordedOnIssue(world: RunbookWorld, step: string, status: string | readonly string[] = ['applied']): Promise<{ name: string; ok: boolean; detail?: string }> {
  const statuses = typeof status === 'string' ? [status] : status;
  const issue = await incidentIssue(world);
  const seen = issue?.records.map((r) => `${r.step}:${r.status}`) ?? [];
  const ok = statuses.some((status) => seen.includes(`${step}:${status}`));
  const name = `incident issue records ${step} ${statuses.join(' or ')}`;
  return ok ? { name, ok } : { name, ok, detail: issue ? `records: ${seen.join(', ')}` : `no incident issue for ${world.incidentId ?? '(none declared)'}` };
}

/** Comments on the incident issue that carry this idempotency key (posted through `postKeyed`), as the emulator holds them. */
export async function keyedComments(world: RunbookWorld, key: string): Promise<string[]> {
  const gh = await world.github();
  const issue = await incidentIssue(world);
  if (!issue) return [];
  const marker = `<!-- firebreak:key=${key} -->`;
  return [...gh.state.comments.values()].filter((c) => c.issueNumber === issue.number && c.body.split('\n')[0] === marker).map((c) => c.body);
}

/** The drill's firebreak.yml as the CLI reads it (defaults filled in). */
export async function drillConfig(world: RunbookWorld): Promise<FirebreakConfig> {
  return parseConfig(await readFile(world.configFile, 'utf8'));
}
