/**
 * Where an incident's evidence lives in the kit's evidence bucket:
 *
 *   <prefix><incident>/evidence/<source>/…   the preserved objects
 *   <prefix><incident>/manifest/<time>-<sha>.json   one manifest part per run
 *
 * `prefix` is FIREBREAK_EVIDENCE_PREFIX (the responder role may write only under it).
 */
export const EVIDENCE_DIR_NAME = 'evidence/';
export const MANIFEST_DIR_NAME = 'manifest/';

export function evidenceFolder(prefix: string, incident: string): string {
  const p = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `${p}${incident}/`;
}
