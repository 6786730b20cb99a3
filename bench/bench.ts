/**
 * A benchmark: `bench/<name>.bench.ts` exports `default` one of these. `run` measures its subject
 * AND a baseline in the same run on the same machine, and reports ratios (plus the raw timings),
 * so numbers compare across machines. Keep metric names `snake_case`; ratios are `ratio_vs_<baseline>`.
 */
export interface Goal {
  metric: string;
  op: '>=' | '<=';
  value: number;
}

export interface Benchmark {
  name: string;
  description: string;
  /** What "good" means for the headline metric, shown in the table: e.g. `ratio_vs_sha256sum >= 0.5`. */
  goal?: Goal;
  /** Further goals, for a benchmark with more than one headline metric. */
  goals?: readonly Goal[];
  run(): Promise<Record<string, number>>;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
