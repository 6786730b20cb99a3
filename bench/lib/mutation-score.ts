/**
 * Reads Stryker's JSON report (mutation-testing-report-schema) and turns it into the
 * `mutation.score_safety_core` metric plus per-file scores. Stryker's own definition of the score:
 * detected (killed + timeout) over valid mutants (detected + survived + no coverage); ignored,
 * compile and runtime errors are not valid mutants and count for neither side.
 */

export interface ReportMutant {
  id: string;
  mutatorName: string;
  status: string;
  location: { start: { line: number; column: number } };
  replacement?: string;
  statusReason?: string;
}

export interface MutationReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

export interface Tally {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  ignored: number;
  errors: number;
}

export function tally(mutants: readonly ReportMutant[]): Tally {
  const t: Tally = { killed: 0, survived: 0, noCoverage: 0, timeout: 0, ignored: 0, errors: 0 };
  for (const m of mutants) {
    switch (m.status) {
      case 'Killed': t.killed++; break;
      case 'Survived': t.survived++; break;
      case 'NoCoverage': t.noCoverage++; break;
      case 'Timeout': t.timeout++; break;
      case 'Ignored': t.ignored++; break;
      case 'CompileError':
      case 'RuntimeError': t.errors++; break;
      default: throw new Error(`unknown mutant status "${m.status}" in the Stryker report (mutant ${m.id})`);
    }
  }
  return t;
}

/** Percent of valid mutants detected; NaN when there is none (a report that mutated nothing). */
export function score(t: Tally): number {
  const detected = t.killed + t.timeout;
  const valid = detected + t.survived + t.noCoverage;
  return valid === 0 ? Number.NaN : (100 * detected) / valid;
}

/** `{score_safety_core, mutants_valid, mutants_survived, ..., 'score.<file>': ...}` for bench/results/latest.json. */
export function mutationMetrics(report: MutationReport, durationSeconds?: number): Record<string, number> {
  const files = Object.keys(report.files).sort();
  const all = tally(files.flatMap((f) => report.files[f]!.mutants));
  const overall = score(all);
  if (Number.isNaN(overall)) throw new Error('the Stryker report has no valid mutant: did the run mutate anything?');
  const round = (v: number) => Math.round(v * 100) / 100;
  const out: Record<string, number> = {
    score_safety_core: round(overall),
    mutants_valid: all.killed + all.timeout + all.survived + all.noCoverage,
    mutants_killed: all.killed,
    mutants_timeout: all.timeout,
    mutants_survived: all.survived,
    mutants_no_coverage: all.noCoverage,
    mutants_ignored: all.ignored,
  };
  if (durationSeconds !== undefined) out.duration_s = Math.round(durationSeconds);
  for (const f of files) {
    const s = score(tally(report.files[f]!.mutants));
    if (!Number.isNaN(s)) out[`score.${f.replace(/^.*?src\/core\//, '')}`] = round(s);
  }
  return out;
}

/** The surviving and uncovered mutants, one line each, for the survivor list. */
export function survivors(report: MutationReport): string[] {
  const lines: string[] = [];
  for (const f of Object.keys(report.files).sort()) {
    for (const m of report.files[f]!.mutants) {
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      const where = `${f.replace(/^.*?(src\/)/, '$1')}:${m.location.start.line}:${m.location.start.column}`;
      lines.push(`${where} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}`);
    }
  }
  return lines;
}
