/**
 * Bounds on the work a config file can cause. A real firebreak.yml is a few KB; these caps are far
 * above that and far below what hurts (a 50 MB file once took 60 s and 3.5 GB to be refused by the
 * schema). Each refusal names the limit, so a responder knows which number to bring down.
 * Its own module, free of `yaml`: the config loader reads a file within these bounds before it
 * loads the parser (and an action without a firebreak.yml never loads it).
 */
export const CONFIG_LIMITS = {
  /** Bytes of the file, checked before YAML sees it. */
  maxBytes: 1024 * 1024,
  /** Entries of one list or mapping, checked on the YAML tree before the schema runs. */
  maxItems: 10_000,
  /** yaml's `maxAliasCount`: how often anchored content may be repeated through aliases. */
  maxAliasCount: 100,
  /**
   * Levels of nesting. firebreak.yml needs five; the bound keeps every recursive reader (ours, the
   * schema's) far from the engine's stack, which the YAML parser itself reaches at a few hundred
   * levels (then it is reported in these words too, not as "Maximum call stack size exceeded").
   */
  maxDepth: 64,
} as const;
