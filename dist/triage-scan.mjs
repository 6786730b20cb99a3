// Byte-level scanner behind `triage`. Plain JavaScript on purpose: it is also the worker_threads
// entry, and a worker must load without a TypeScript loader (as audit-scan.mjs).
//
// Fast path: every literal indicator (addresses, ids, tokens, event types, correlation ids) goes
// into one Aho-Corasick automaton compiled to a dense DFA over bytes, so a record is looked at only
// when some indicator's bytes occur in it; then the match is checked for token boundaries, and only
// then is the record decoded and (when it is JSON) parsed for its time, source and subject. Regexes
// and CIDRs cannot be prefiltered that way: they run over each chunk as one latin1 string (one byte
// = one char, so offsets are byte offsets), which V8's regex engine scans quickly.
//
// Records: a record is a line; a line starting with a space or tab continues the record before it
// (stack traces, wrapped text). A record longer than maxRecordBytes is still searched, in pieces
// that overlap by the longest literal, but never held whole or parsed: it is counted as oversized.
// Memory is bounded by the chunk size, maxRecordBytes, and the distinct subjects and sources kept.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

const NL = 0x0a;
const SP = 0x20;
const TAB = 0x09;
const MAX_SOURCES = 1000;
const TOP = 5;

// Boundary classes: 0 = none (raw text), 1 = word ([A-Za-z0-9_] must not touch the match),
// 2 = address (also no '.' or ':' next to it, so 10.0.0.1 does not match inside 10.0.0.12).
const WORD = new Uint8Array(256);
for (let c = 0; c < 256; c++) WORD[c] = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f ? 1 : 0;
const ADDR = new Uint8Array(WORD);
ADDR[0x2e] = 1;
ADDR[0x3a] = 1;

/** Compiles literal patterns (arrays of bytes) to a DFA whose accepting states are numbered last. */
export function compileLiterals(patterns) {
  const goto = [new Map()];
  const outs = [[]];
  patterns.forEach((bytes, id) => {
    let s = 0;
    for (const b of bytes) {
      let n = goto[s].get(b);
      if (n === undefined) {
        n = goto.length;
        goto.push(new Map());
        outs.push([]);
        goto[s].set(b, n);
      }
      s = n;
    }
    outs[s].push(id);
  });
  const n = goto.length;
  const fail = new Int32Array(n);
  const delta = new Int32Array(n * 256);
  const order = [];
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q];
    order.push(s);
    for (let b = 0; b < 256; b++) {
      const t = goto[s].get(b);
      if (t !== undefined) {
        fail[t] = s === 0 ? 0 : delta[fail[s] * 256 + b];
        outs[t] = outs[t].concat(outs[fail[t]]);
        delta[s * 256 + b] = t;
        queue.push(t);
      } else {
        delta[s * 256 + b] = s === 0 ? 0 : delta[fail[s] * 256 + b];
      }
    }
  }
  // Renumber: root 0, non-accepting states next, accepting ones last, so the hot loop tests one compare.
  const plain = order.filter((s) => outs[s].length === 0);
  const accepting = order.filter((s) => outs[s].length > 0);
  const renum = new Int32Array(n);
  const newOrder = [...plain, ...accepting];
  newOrder.forEach((s, i) => (renum[s] = i));
  const Table = n < 65536 ? Uint16Array : Uint32Array;
  const table = new Table(n * 256);
  const out = new Array(n);
  for (const s of newOrder) {
    const ns = renum[s];
    for (let b = 0; b < 256; b++) table[ns * 256 + b] = renum[delta[s * 256 + b]];
    out[ns] = outs[s];
  }
  return { table, out, firstAccepting: plain.length };
}

/**
 * Wu-Manber over 3-byte blocks: a window of the shortest literal's length slides over the bytes,
 * jumping by how far the window's last 3 bytes are from the end of any literal's prefix (usually
 * most of the window, as indicators rarely share trigrams with the text around them); only at a
 * shift of 0 are the few literals with that trigram compared byte by byte. Used when every literal
 * is 4+ bytes long; the DFA above otherwise.
 */
export function compileWuManber(patterns) {
  const m = Math.min(...patterns.map((p) => p.length));
  const shift = new Uint8Array(1 << 16).fill(Math.min(255, m - 2));
  const buckets = new Map();
  patterns.forEach((p, id) => {
    for (let j = 2; j < m; j++) {
      const h = hash3(p[j - 2], p[j - 1], p[j]);
      const d = m - 1 - j;
      if (d < shift[h]) shift[h] = d;
      if (d === 0) {
        const list = buckets.get(h) ?? [];
        list.push(id);
        buckets.set(h, list);
      }
    }
  });
  const bucket = new Array(1 << 16);
  for (const [h, ids] of buckets) bucket[h] = Int32Array.from(ids);
  return { m, shift, bucket, patterns };
}

function hash3(a, b, c) {
  return ((a << 8) ^ (b << 4) ^ c ^ (a >> 4 << 12)) & 0xffff;
}

/** Dotted path into a parsed record; a string that holds JSON (CloudWatch's `message`) is opened. */
export function pick(obj, path) {
  let v = obj;
  for (const part of path) {
    if (typeof v === 'string' && v.length > 1 && v.charCodeAt(0) === 0x7b) {
      try {
        v = JSON.parse(v);
      } catch {
        return undefined;
      }
    }
    if (v === null || typeof v !== 'object') return undefined;
    v = v[part];
  }
  return v;
}

const ISO_AT_START = /^\s*\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/;
const TIME_FIELDS = [['timestamp'], ['time'], ['@timestamp'], ['ts'], ['eventTime'], ['date']];

function toMillis(v) {
  if (typeof v === 'number' && Number.isFinite(v)) return v > 1e12 ? v : v * 1000;
  if (typeof v === 'string') {
    const t = Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v.replace(' ', 'T')}Z`);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function ipv4(text) {
  const p = text.split('.');
  let n = 0;
  for (const o of p) {
    const v = Number(o);
    if (o.length === 0 || o.length > 3 || v > 255) return -1;
    n = n * 256 + v;
  }
  return n;
}

const IPV4_TOKEN = /(?<![0-9.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![0-9]|\.\d)/g;

/**
 * One scanner per stream of records. `feed` takes any chunking of the bytes; `finish` returns the
 * partial result (merge several with mergeResults in src/core/triage/report.ts).
 */
export class TriageScanner {
  constructor(spec) {
    this.spec = spec;
    this.inds = spec.indicators;
    const lits = [];
    this.litInd = [];
    this.litBoundary = [];
    this.litLen = [];
    this.regexes = [];
    this.cidrs = [];
    spec.indicators.forEach((ind, i) => {
      if (ind.kind === 'regex') {
        const ascii = /^[\x00-\x7f]*$/.test(ind.value);
        this.regexes.push({ id: i, re: new RegExp(ind.value, ascii ? 'g' : 'gu'), ascii });
      } else if (ind.kind === 'cidr') {
        const [base, bits] = ind.value.split('/');
        const size = 2 ** (32 - Number(bits));
        const start = Math.floor(ipv4(base) / size) * size;
        this.cidrs.push({ id: i, start, end: start + size });
      } else {
        const bytes = Buffer.from(ind.value, 'utf8');
        lits.push(bytes);
        this.litInd.push(i);
        this.litBoundary.push(ind.kind === 'text' ? 0 : ind.kind === 'ip' ? 2 : 1);
        this.litLen.push(bytes.length);
      }
    });
    this.maxLit = Math.max(1, ...this.litLen);
    this.lits = lits;
    this.wm = lits.length && Math.min(...this.litLen) >= 4 && spec.engine !== 'dfa' ? compileWuManber(lits) : null;
    this.dfa = lits.length && !this.wm ? compileLiterals(lits) : null;
    this.multiline = spec.multiline !== false;
    this.maxRecord = spec.maxRecordBytes ?? 8 << 20;
    this.subjectPath = spec.subjectField ? spec.subjectField.split('.') : null;
    this.subjectText = spec.subjectField ? new RegExp(`(?:^|[^A-Za-z0-9_.])${escapeRe(spec.subjectField)}"?\\s*[=:]\\s*"?([^\\s",;}\\]]+)`) : null;
    this.sourcePath = spec.sourceField ? spec.sourceField.split('.') : null;
    this.timePaths = spec.timeField ? [spec.timeField.split('.')] : TIME_FIELDS;
    this.source = spec.source ?? 'input';
    this.carry = null;
    this.big = null; // the oversized record being skipped through: { ids: Set }
    this.result = {
      bytes: 0,
      lines: 0,
      records: 0,
      hitRecords: 0,
      malformed: 0,
      oversized: 0,
      perIndicator: spec.indicators.map(() => ({ hits: 0, first: null, last: null, sources: {} })),
      subjects: new Set(),
      subjectMissing: 0,
    };
  }

  feed(chunk) {
    this.result.bytes += chunk.length;
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    if (this.big) {
      const b = this.boundaryFrom(buf, 0);
      if (b < 0) {
        this.searchBig(buf, buf.length > this.maxLit ? buf.length - this.maxLit + 1 : 0);
        return;
      }
      this.searchBig(buf.subarray(0, b), b);
      this.closeBig();
      buf = buf.subarray(b);
    }
    const cut = this.lastBoundary(buf);
    if (cut < 0) {
      if (buf.length > this.maxRecord) {
        this.big = { ids: new Set() };
        this.result.records++;
        this.countLines(buf, 0, buf.length);
        this.searchBig(buf, buf.length - this.maxLit + 1);
      } else this.carry = Buffer.from(buf);
      return;
    }
    this.scan(buf, 0, cut);
    if (cut < buf.length) this.carry = Buffer.from(buf.subarray(cut));
  }

  finish() {
    if (this.big) {
      if (this.carry) this.searchBig(this.carry, this.carry.length);
      this.closeBig();
    } else if (this.carry && this.carry.length) this.scan(this.carry, 0, this.carry.length);
    this.carry = null;
    const r = this.result;
    return {
      ...r,
      subjects: [...r.subjects],
      perIndicator: r.perIndicator.map((p) => ({ ...p })),
    };
  }

  // A record starts at p when p follows a newline and (multiline) the line does not begin with
  // blank space. Needs buf[p], so a boundary is never the buffer's end.
  isBoundary(buf, p) {
    if (buf[p - 1] !== NL) return false;
    if (!this.multiline) return true;
    const c = buf[p];
    return c !== SP && c !== TAB;
  }

  boundaryFrom(buf, from) {
    let i = buf.indexOf(NL, from);
    while (i >= 0 && i + 1 < buf.length) {
      if (this.isBoundary(buf, i + 1)) return i + 1;
      i = buf.indexOf(NL, i + 1);
    }
    return -1;
  }

  lastBoundary(buf) {
    let i = buf.lastIndexOf(NL);
    while (i >= 0) {
      if (i + 1 < buf.length && this.isBoundary(buf, i + 1)) return i + 1;
      if (i === 0) return -1;
      i = buf.lastIndexOf(NL, i - 1);
    }
    return -1;
  }

  countLines(buf, from, to) {
    let n = 0;
    let i = buf.indexOf(NL, from);
    while (i >= 0 && i < to) {
      n++;
      i = buf.indexOf(NL, i + 1);
    }
    this.result.lines += n;
    return n;
  }

  /** Searches a piece of an oversized record; `keepFrom`: bytes after it are searched again with the next piece. */
  searchBig(buf, keepFrom) {
    const hits = this.match(buf, 0, buf.length);
    for (let k = 0; k < hits.length; k += 2) this.big.ids.add(hits[k + 1]);
    if (keepFrom < buf.length && keepFrom >= 0) this.carry = Buffer.from(buf.subarray(keepFrom));
  }

  closeBig() {
    const ids = [...this.big.ids];
    this.big = null;
    this.result.oversized++;
    if (ids.length) this.hitRecord(ids, null);
  }

  /** Every (offset, indicator) match in buf[from, to), literal ones boundary-checked. Offsets ascend per kind. */
  match(buf, from, to) {
    const hits = [];
    if (this.wm) {
      const { m, shift, bucket, patterns } = this.wm;
      for (let i = from + m - 1; i < to; ) {
        const h = ((buf[i - 2] << 8) ^ (buf[i - 1] << 4) ^ buf[i] ^ ((buf[i - 2] >> 4) << 12)) & 0xffff;
        const d = shift[h];
        if (d !== 0) {
          i += d;
          continue;
        }
        const ids = bucket[h];
        const start = i - m + 1;
        for (let k = 0; k < ids.length; k++) {
          const p = ids[k];
          const pat = patterns[p];
          const end = start + pat.length;
          if (end > to) continue;
          let j = 0;
          while (j < pat.length && buf[start + j] === pat[j]) j++;
          if (j < pat.length) continue;
          const kind = this.litBoundary[p];
          if (kind !== 0) {
            const cls = kind === 2 ? ADDR : WORD;
            if (start > from && cls[buf[start - 1]] && cls[buf[start]]) continue;
            if (end < to && cls[buf[end]] && cls[buf[end - 1]]) continue;
          }
          hits.push(start, this.litInd[p]);
        }
        i++;
      }
    }
    if (this.dfa) {
      const { table, out, firstAccepting } = this.dfa;
      let s = 0;
      for (let i = from; i < to; i++) {
        s = table[(s << 8) | buf[i]];
        if (s >= firstAccepting) {
          for (const p of out[s]) {
            const start = i - this.litLen[p] + 1;
            const kind = this.litBoundary[p];
            if (kind !== 0) {
              const cls = kind === 2 ? ADDR : WORD;
              if (start > from && cls[buf[start - 1]] && cls[buf[start]]) continue;
              if (i + 1 < to && cls[buf[i + 1]] && cls[buf[i]]) continue;
            }
            hits.push(start, this.litInd[p]);
          }
        }
      }
    }
    if (this.regexes.length || this.cidrs.length) {
      const latin = buf.toString('latin1', from, to);
      for (const { id, re, ascii } of this.regexes) {
        if (ascii) {
          re.lastIndex = 0;
          for (let m = re.exec(latin); m; m = re.exec(latin)) {
            hits.push(from + m.index, id);
            if (m[0].length === 0) re.lastIndex++;
          }
        } else {
          const text = buf.toString('utf8', from, to);
          re.lastIndex = 0;
          let charAt = 0;
          let byteAt = from;
          for (let m = re.exec(text); m; m = re.exec(text)) {
            byteAt += Buffer.byteLength(text.slice(charAt, m.index), 'utf8');
            charAt = m.index;
            hits.push(byteAt, id);
            if (m[0].length === 0) re.lastIndex++;
          }
        }
      }
      if (this.cidrs.length) {
        IPV4_TOKEN.lastIndex = 0;
        for (let m = IPV4_TOKEN.exec(latin); m; m = IPV4_TOKEN.exec(latin)) {
          const v = ipv4(m[0]);
          if (v < 0) continue;
          for (const c of this.cidrs) if (v >= c.start && v < c.end) hits.push(from + m.index, c.id);
        }
      }
    }
    return hits;
  }

  /** Complete records in buf[from, to): counts them, finds the ones with hits, and reads those. */
  scan(buf, from, to) {
    this.count(buf, from, to);
    const hits = this.match(buf, from, to);
    if (hits.length === 0) return;
    // Group by record: sort the (offset, id) pairs by offset, then walk records in order.
    const idx = [];
    for (let k = 0; k < hits.length; k += 2) idx.push(k);
    if (this.regexes.length || this.cidrs.length) idx.sort((a, b) => hits[a] - hits[b]);
    let recStart = -1;
    let recEnd = -1;
    let ids = [];
    for (const k of idx) {
      const at = hits[k];
      if (at >= recEnd) {
        if (ids.length) this.hitRecord(ids, buf.subarray(recStart, recEnd));
        recStart = this.recordStart(buf, at, from);
        recEnd = this.recordEnd(buf, at, to);
        ids = [];
      }
      if (!ids.includes(hits[k + 1])) ids.push(hits[k + 1]);
    }
    if (ids.length) this.hitRecord(ids, buf.subarray(recStart, recEnd));
  }

  /** Lines and records (non-blank lines that do not continue another) in buf[from, to), in one pass. */
  count(buf, from, to) {
    let lines = 0;
    let records = 0;
    const ml = this.multiline;
    let p = from;
    while (p < to) {
      const c = buf[p];
      let e = buf.indexOf(NL, p);
      if (e < 0 || e >= to) e = to;
      else lines++;
      if (e > p && !(c === 0x0d && e === p + 1) && !(ml && (c === SP || c === TAB))) records++;
      p = e + 1;
    }
    if (to > from && buf[to - 1] !== NL) lines++;
    this.result.lines += lines;
    this.result.records += records;
  }

  recordStart(buf, at, from) {
    let s = at > from ? buf.lastIndexOf(NL, at - 1) + 1 : from;
    if (s < from) s = from;
    while (this.multiline && s > from && (buf[s] === SP || buf[s] === TAB)) {
      const prev = s - 1 > from ? buf.lastIndexOf(NL, s - 2) + 1 : from;
      s = prev < from ? from : prev;
    }
    return s;
  }

  recordEnd(buf, at, to) {
    let e = buf.indexOf(NL, at);
    while (e >= 0 && e < to) {
      if (!this.multiline || e + 1 >= to || (buf[e + 1] !== SP && buf[e + 1] !== TAB)) return e + 1;
      e = buf.indexOf(NL, e + 1);
    }
    return to;
  }

  hitRecord(ids, bytes) {
    const r = this.result;
    r.hitRecords++;
    let time;
    let source = this.source;
    let subject;
    if (bytes) {
      const text = bytes.toString('utf8').replace(/\r?\n$/, '');
      const trimmed = text.trimStart();
      let obj;
      if (trimmed.charCodeAt(0) === 0x7b) {
        try {
          obj = JSON.parse(text);
        } catch {
          r.malformed++;
        }
      }
      if (obj !== undefined && obj !== null && typeof obj === 'object') {
        for (const p of this.timePaths) {
          time = toMillis(pick(obj, p));
          if (time !== undefined) break;
        }
        if (this.sourcePath) {
          const s = pick(obj, this.sourcePath);
          if (s !== undefined && s !== null && typeof s !== 'object') source = String(s);
        }
        if (this.subjectPath) {
          let v = pick(obj, this.subjectPath);
          // CloudWatch events (preserved or exported) carry the application's JSON in `message`.
          if (v === undefined && typeof obj.message === 'string') v = pick(obj, ['message', ...this.subjectPath]);
          if (v !== undefined && v !== null && typeof v !== 'object' && v !== '') subject = String(v);
        }
      } else {
        const m = ISO_AT_START.exec(text);
        if (m) time = toMillis(m[1]);
        if (this.subjectText) {
          const s = this.subjectText.exec(text);
          if (s) subject = s[1];
        }
      }
    }
    if (this.subjectPath) {
      if (subject !== undefined) r.subjects.add(subject);
      else r.subjectMissing++;
    }
    for (const id of ids) {
      const p = r.perIndicator[id];
      p.hits++;
      if (time !== undefined) {
        if (p.first === null || time < p.first) p.first = time;
        if (p.last === null || time > p.last) p.last = time;
      }
      if (p.sources[source] !== undefined) p.sources[source]++;
      else if (Object.keys(p.sources).length < MAX_SOURCES) p.sources[source] = 1;
      else p.sources['(other)'] = (p.sources['(other)'] ?? 0) + 1;
    }
  }
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Scans the records that START in [start, end) of a file: from the first record boundary at or
 * after `start` to the first one at or after `end`. Adjacent ranges cover every record exactly once.
 */
export function scanRange(request) {
  const scanner = new TriageScanner(request.spec);
  const fd = openSync(request.path, 'r');
  const chunkSize = request.chunkSize ?? 4 << 20;
  try {
    const size = fstatSync(fd).size;
    const from = boundaryAtOrAfter(fd, request.start ?? 0, size, scanner);
    const to = boundaryAtOrAfter(fd, Math.min(request.end ?? size, size), size, scanner);
    const buf = Buffer.allocUnsafe(chunkSize);
    for (let pos = from; pos < to; ) {
      const n = readSync(fd, buf, 0, Math.min(chunkSize, to - pos), pos);
      if (n === 0) break;
      scanner.feed(buf.subarray(0, n));
      pos += n;
    }
    return scanner.finish();
  } finally {
    closeSync(fd);
  }
}

/** The first offset >= pos where a record starts (size when none does). */
function boundaryAtOrAfter(fd, pos, size, scanner) {
  if (pos <= 0) return 0;
  if (pos >= size) return size;
  const buf = Buffer.allocUnsafe(64 << 10);
  // Read from pos - 1: whether pos itself starts a record depends on the byte before it.
  for (let at = pos - 1; at < size; at += buf.length - 1) {
    const n = readSync(fd, buf, 0, buf.length, at);
    if (n < 2) return size;
    const view = buf.subarray(0, n);
    for (let i = view.indexOf(NL); i >= 0 && i + 1 < n; i = view.indexOf(NL, i + 1)) {
      if (scanner.isBoundary(view, i + 1)) return at + i + 1;
    }
    if (n < buf.length) return size;
  }
  return size;
}

if (!isMainThread && parentPort && workerData && workerData.firebreakTriageScan) {
  try {
    parentPort.postMessage({ ok: true, result: scanRange(workerData.firebreakTriageScan) });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
}
