import type { Outcome, Plan, Result } from './plan.js';

/** Markdown for job summaries, incident comments and the CLI: the plan and result tables. */

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderPlanMarkdown(plan: Plan<unknown>, opts: { maxRows?: number } = {}): string {
  const max = opts.maxRows ?? 200;
  const lines = [`### Plan: \`${plan.step}\``, ''];
  if (plan.warnings.length) {
    for (const w of plan.warnings) lines.push(`> ⚠️ ${cell(w)}`);
    lines.push('');
  }
  lines.push(`${plan.changes.length} change(s), ${plan.unchanged.length} already in place.`, '');
  if (plan.changes.length + plan.unchanged.length > 0) {
    lines.push('| target | action | subject |', '|---|---|---|');
    const rows = [
      ...plan.changes.map((c) => `| ${cell(c.target)} | ${cell(c.action)} | \`${cell(c.subject)}\` |`),
      ...plan.unchanged.map((u) => `| ${cell(u.target)} | already (${cell(u.reason)}) | \`${cell(u.subject)}\` |`),
    ];
    lines.push(...rows.slice(0, max));
    if (rows.length > max) lines.push(`| … | … | ${rows.length - max} more rows in the audit record |`);
  }
  return lines.join('\n');
}

export function renderResultMarkdown(step: string, result: Result, opts: { maxRows?: number } = {}): string {
  const max = opts.maxRows ?? 200;
  const lines = [`### Result: \`${step}\` — ${result.status}`, ''];
  const counts = new Map<string, Record<string, number>>();
  for (const o of result.outcomes) {
    const row = counts.get(o.target) ?? {};
    row[o.status] = (row[o.status] ?? 0) + 1;
    counts.set(o.target, row);
  }
  lines.push('| target | applied | already | failed | skipped |', '|---|---|---|---|---|');
  for (const [t, c] of counts) lines.push(`| ${cell(t)} | ${c.applied ?? 0} | ${c.already ?? 0} | ${c.failed ?? 0} | ${c.skipped ?? 0} |`);
  const notable = result.outcomes.filter((o: Outcome) => o.status === 'failed' || o.status === 'skipped');
  if (notable.length) {
    lines.push('', '| target | subject | status | reason |', '|---|---|---|---|');
    for (const o of notable.slice(0, max)) lines.push(`| ${cell(o.target)} | \`${cell(o.subject)}\` | ${o.status} | ${cell(o.reason ?? '')} |`);
    if (notable.length > max) lines.push(`| … | ${notable.length - max} more | | |`);
  }
  return lines.join('\n');
}

/** Plain text for terminals. */
export function renderPlanText(plan: Plan<unknown>): string {
  const out = [`plan ${plan.step}: ${plan.changes.length} change(s), ${plan.unchanged.length} already in place`];
  for (const w of plan.warnings) out.push(`  ! ${w}`);
  for (const c of plan.changes) out.push(`  + ${c.target} ${c.action} ${c.subject}`);
  for (const u of plan.unchanged) out.push(`  = ${u.target} ${u.subject} (${u.reason})`);
  return out.join('\n');
}

export function renderResultText(step: string, result: Result): string {
  const out = [`result ${step}: ${result.status}`];
  for (const o of result.outcomes) {
    const mark = o.status === 'applied' ? '✓' : o.status === 'already' ? '=' : o.status === 'failed' ? '✗' : '-';
    out.push(`  ${mark} ${o.target} ${o.action} ${o.subject}${o.reason ? ` — ${o.reason}` : ''}`);
  }
  return out.join('\n');
}

/**
 * Text safe to write to a responder's terminal. Provider messages, WAF entries and config labels
 * reach stdout/stderr; an escape sequence (`\x1b[2K`), a lone carriage return or a bidi override in
 * them could erase or rewrite what the terminal shows ("failed" overwritten by "applied"). Each such
 * character is shown as its escape instead; newlines, tabs and CRLF pairs stay.
 */
export function terminalText(text: string): string {
  return text.replace(/\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Text for an action's log via `core.info`, which writes it raw: the runner reads any line that
 * starts with `::` as a workflow command, so a provider message holding `\n::error::…` or
 * `\n::set-output name=status::applied` could annotate or rewrite the run. Such lines get a space
 * after their first colon (shown, never run); the rest is terminalText. core.error/warning/debug
 * escape their own newlines and need none of this.
 */
export function actionLogText(text: string): string {
  return terminalText(text).replace(/^([ \t]*):(?=:)/gm, '$1: ');
}

