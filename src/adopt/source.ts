import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';

/** Which firebreak an adopting repository calls: a repository and a full commit SHA (a tag can move). */
export interface FirebreakSource {
  repository: string;
  sha: string;
  /** Shown in the `uses:` comment so a reviewer (and Dependabot) sees the release. */
  label?: string;
}

export function parseSource(repository: string, sha: string, label?: string): FirebreakSource {
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository)) {
    throw new InputError(`--firebreak-repository must be owner/name (e.g. acme/firebreak), got ${JSON.stringify(repository)}`, { field: 'firebreak-repository' });
  }
  if (!/^[0-9a-f]{40}$/.test(sha)) {
    throw new InputError('--firebreak-ref must be a full 40-hex commit SHA: a branch, tag or short SHA can move under you', {
      field: 'firebreak-ref',
      hint: 'Take it from the release you reviewed: `git ls-remote https://github.com/OWNER/firebreak refs/tags/v0.1.0`.',
    });
  }
  return { repository, sha, ...(label ? { label } : {}) };
}

/**
 * The root of the firebreak package this CLI runs from (its runbooks and workflows are read from
 * there), found by walking up to the package.json named firebreak: the same from src/ and dist/.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'firebreak') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the firebreak package root (package.json named firebreak) above the CLI');
    dir = parent;
  }
}
