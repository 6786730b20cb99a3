import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { keySegment, type EvidenceTarget } from '../../core/evidence/targets.js';
import type { EvidencePiece, EvidenceSource } from './ports.js';

/**
 * Local files (seed 000's `logs/`): a file, or every regular file under a directory, copied as
 * they are. Paths resolve against `root` (the working directory); symlinks are not followed out.
 */
export class FileSource implements EvidenceSource {
  constructor(private readonly root: string, private readonly maxBytes = 512 << 20) {}

  async pieces(target: EvidenceTarget): Promise<EvidencePiece[]> {
    const path = resolve(this.root, target.id);
    const st = await stat(path).catch(() => undefined);
    if (!st) throw new InputError(`${target.id}: no such file or directory`, { field: 'targets', code: 'TARGET_NOT_FOUND' });
    const files = st.isDirectory() ? await walk(path) : [path];
    return files.sort().map((f) => {
      const rel = relative(this.root, f) || f;
      return {
        key: `files/${keySegment(rel)}`,
        subject: rel,
        collect: async () => {
          const s = await stat(f);
          if (s.size > this.maxBytes) throw new InputError(`${rel} is ${s.size} bytes, over the ${this.maxBytes}-byte limit`, { field: 'targets', code: 'OBJECT_TOO_LARGE' });
          return { body: await readFile(f) };
        },
      } satisfies EvidencePiece;
    });
  }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}
