/** The paths whose changes change how an incident is handled: a named owner reviews each. */
export const OWNED_PATHS = ['/runbooks/', '/.github/workflows/', '/firebreak.yml'] as const;

/**
 * Adds an owner line for each path CODEOWNERS does not cover yet; lines already there (any owner)
 * are kept as they are, so a second run changes nothing.
 */
export function mergeCodeowners(existing: string | undefined, owners: string[]): string {
  const text = existing ?? '';
  const covered = new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/\s+/)[0]),
  );
  const missing = OWNED_PATHS.filter((p) => !covered.has(p));
  if (missing.length === 0) return text;
  const lines = ['# firebreak (added by `firebreak init`): changes to incident handling need a named reviewer.', ...missing.map((p) => `${p} ${owners.join(' ')}`)];
  const base = text === '' ? '' : text.endsWith('\n') ? `${text}\n` : `${text}\n\n`;
  return `${base}${lines.join('\n')}\n`;
}
