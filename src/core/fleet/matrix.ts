/**
 * GitHub Actions limits a fleet workflow lives within (PROVIDERS.md, GitHub docs "Using a matrix"):
 * a matrix expands to at most 256 jobs per workflow run. Targets are grouped into batches (one
 * matrix job each); batches are split into shards of at most 256, one apply job per shard.
 */
export const GITHUB_LIMITS = { maxMatrixJobs: 256 } as const;

export interface Batch {
  /** `b001`: stable, sortable; names the batch's artifact. */
  id: string;
  targets: string[];
}

export interface FleetMatrix {
  batchSize: number;
  /** Each shard is one apply job's `strategy.matrix` = `{ "include": [{ batch, targets }] }`. */
  shards: Array<{ include: Array<{ batch: string; targets: string }> }>;
}

/**
 * Batches of `batchSize` (raised when even `maxShards` shards of 256 could not hold the fleet), in
 * target order so targets of one account stay together and share one runner's rate-limit bucket.
 */
export function fleetMatrix(targetIds: readonly string[], opts: { batchSize: number; maxShards: number }): FleetMatrix {
  if (opts.maxShards < 1 || opts.batchSize < 1) throw new RangeError('batchSize and maxShards must be at least 1');
  const capacity = GITHUB_LIMITS.maxMatrixJobs * opts.maxShards;
  const batchSize = Math.max(opts.batchSize, Math.ceil(targetIds.length / capacity));
  const batches: Batch[] = [];
  for (let i = 0; i < targetIds.length; i += batchSize) {
    batches.push({ id: `b${String(batches.length + 1).padStart(3, '0')}`, targets: targetIds.slice(i, i + batchSize) });
  }
  const shards: FleetMatrix['shards'] = Array.from({ length: opts.maxShards }, () => ({ include: [] }));
  batches.forEach((b, i) => shards[Math.floor(i / GITHUB_LIMITS.maxMatrixJobs)]!.include.push({ batch: b.id, targets: b.targets.join(',') }));
  return { batchSize, shards };
}

/** Shards needed for a fleet of `targets` with `batchSize` targets per job. */
export function shardsFor(targets: number, batchSize: number): number {
  return Math.max(1, Math.ceil(Math.ceil(targets / batchSize) / GITHUB_LIMITS.maxMatrixJobs));
}
