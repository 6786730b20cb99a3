import { isMap, isSeq, type Document, type LineCounter } from 'yaml';
import type { ConfigProblem } from '../errors.js';
import { CONFIG_LIMITS } from './config-limits.js';

export { CONFIG_LIMITS };

export function describeBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB` : `${n} bytes`;
}

export function tooLarge(file: string, bytes: number | 'more'): ConfigProblem {
  const size = bytes === 'more' ? `more than ${describeBytes(CONFIG_LIMITS.maxBytes)}` : `${describeBytes(bytes)} (${bytes} bytes)`;
  return { file, line: 1, column: 1, field: '', message: `config is ${size}; the limit is ${describeBytes(CONFIG_LIMITS.maxBytes)} (${CONFIG_LIMITS.maxBytes} bytes). Is this the right file?` };
}

/**
 * Decodes UTF-8 strictly. A non-UTF-8 file (Latin-1, UTF-16, a binary) is refused with the byte
 * offset of its first bad byte rather than read as replacement characters that later show up as
 * a confusing schema error, or worse, as a label in an audit record.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string | ConfigProblem {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Byte(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const byte = bytes[offset] ?? 0;
    return {
      file,
      line,
      column: offset - lineStart + 1,
      field: '',
      message: `not valid UTF-8: byte 0x${byte.toString(16).padStart(2, '0').toUpperCase()} at byte offset ${offset}; save the file as UTF-8`,
    };
  }
}

/**
 * The non-fatal decoder replaces each maximal invalid sequence with one U+FFFD and decodes the rest
 * exactly, so the bytes before the first replacement that is not a literal U+FFFD in the file are
 * valid and their length is the offset.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  let offset = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    const literalReplacement = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (cp === 0xfffd && !literalReplacement) return offset;
    offset += width;
  }
  return bytes.length;
}

/**
 * Walks the YAML tree (not its JS value, so aliases are not expanded here) and reports every list or
 * mapping longer than the limit and every duplicate key, with position and dotted path. Duplicate
 * keys are found here in linear time because yaml's own `uniqueKeys` check is quadratic (a 1 MiB
 * mapping of distinct keys took it about a minute).
 */
export function structuralProblems(doc: Document, lc: LineCounter, file: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  let tooDeep = false;
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isSeq(node) || isMap(node)) {
      if (path.length >= CONFIG_LIMITS.maxDepth) {
        if (!tooDeep) {
          const pos = lc.linePos(node.range?.[0] ?? 0);
          out.push({ file, line: pos.line, column: pos.col, field: path.slice(0, 3).join('.') + (path.length > 3 ? '.…' : ''), message: nestedTooDeeply() });
        }
        tooDeep = true;
        return;
      }
      if (node.items.length > CONFIG_LIMITS.maxItems) {
        const pos = lc.linePos(node.range?.[0] ?? 0);
        const kind = isSeq(node) ? 'list' : 'mapping';
        out.push({
          file,
          line: pos.line,
          column: pos.col,
          field: path.join('.') || '(root)',
          message: `${kind} has ${node.items.length} entries; the limit is ${CONFIG_LIMITS.maxItems} per list or mapping`,
        });
        return;
      }
      if (isSeq(node)) {
        node.items.forEach((item, i) => walk(item, [...path, i]));
        return;
      }
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = keyOf(pair.key);
        if (key !== undefined && seen.has(key)) {
          const pos = lc.linePos((pair.key as { range?: [number, number, number] }).range?.[0] ?? 0);
          out.push({ file, line: pos.line, column: pos.col, field: [...path, key].join('.'), message: `duplicate key "${key}": the later value would silently win` });
        }
        if (key !== undefined) seen.add(key);
        walk(pair.value, [...path, key ?? '?']);
      }
    }
  };
  walk(doc.contents, []);
  return out;
}

export function nestedTooDeeply(): string {
  return `nested too deeply: a firebreak.yml nests lists and mappings at most ${CONFIG_LIMITS.maxDepth} levels deep`;
}

function keyOf(key: unknown): string | undefined {
  const v = (key as { value?: unknown } | null)?.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}
