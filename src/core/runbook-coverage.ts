import type { RunbookFrontMatter } from './runbook.js';

/**
 * How much of a source runbook firebreak does: every operational action the source asks for is
 * either manual (with a reason) or automatable; an automatable action counts as covered when its
 * capability is built and the runbook's drill runs it (by step, or by `covers`). Pure.
 */
export interface ActionCoverage {
  id: string;
  does: string;
  capability: string | undefined;
  status: 'covered' | 'not drilled' | 'not built' | 'pending' | 'manual';
  manual?: string;
}

export interface RunbookCoverage {
  file: string;
  title: string;
  source: string | undefined;
  actions: ActionCoverage[];
  automatable: number;
  covered: number;
  manual: number;
  /** covered / automatable, 0–100 with one decimal; 100 when nothing is automatable. */
  percent: number;
}

export function runbookCoverage(file: string, fm: RunbookFrontMatter, built: ReadonlySet<string>): RunbookCoverage {
  const drilledSteps = new Set((fm.drill ?? []).map((d) => d.step));
  const drilledIds = new Set((fm.drill ?? []).flatMap((d) => d.covers ?? []));
  const actions: ActionCoverage[] = (fm.actions ?? []).map((a) => {
    if (a.manual !== undefined) return { id: a.id, does: a.does, capability: undefined, status: 'manual', manual: a.manual };
    const cap = a.capability!;
    if (a.pending !== undefined) return { id: a.id, does: a.does, capability: cap, status: 'pending', manual: a.pending };
    const status = !built.has(cap) ? 'not built' : drilledSteps.has(cap) || drilledIds.has(a.id) ? 'covered' : 'not drilled';
    return { id: a.id, does: a.does, capability: cap, status };
  });
  const automatable = actions.filter((a) => a.status !== 'manual').length;
  const covered = actions.filter((a) => a.status === 'covered').length;
  const percent = automatable === 0 ? 100 : Math.floor((covered / automatable) * 1000) / 10;
  return { file, title: fm.title, source: fm.source, actions, automatable, covered, manual: actions.length - automatable, percent };
}

/** The coverage table a reviewer reads: one row per runbook, then the gaps. */
export function renderCoverage(rows: readonly RunbookCoverage[], goalPercent: number): string {
  const out = ['| runbook | source | actions | manual | automatable | covered | coverage |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    out.push(`| ${r.file} | ${r.source ?? '—'} | ${r.actions.length} | ${r.manual} | ${r.automatable} | ${r.covered} | ${r.percent}%${r.percent >= goalPercent ? '' : ` (goal ${goalPercent}%)`} |`);
  }
  const gaps = rows.flatMap((r) =>
    r.actions.filter((a) => a.status === 'not built' || a.status === 'not drilled' || a.status === 'pending').map((a) => `- ${r.file} ${a.id}: ${a.does} → ${a.capability} (${a.status}${a.status === 'pending' ? `: ${a.manual}` : ''})`),
  );
  if (gaps.length) out.push('', 'Gaps:', ...gaps);
  return out.join('\n');
}
