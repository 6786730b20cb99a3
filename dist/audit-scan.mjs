// Byte-level scanner behind `firebreak audit verify`'s fast path. Plain JavaScript on purpose: it is
// also the worker_threads entry, and a worker must load without a TypeScript loader (the CLI runs
// under tsx's programmatic loader, which workers do not inherit; vitest registers none).
//
// It verifies the lines our writer emits — `{"seq":N,"prev":"<hex>","hash":"<hex>","record":<canonical>}`
// — straight from the file's bytes: no string decoding of the record, one pass that proves the record
// is in RFC 8785 form (members strictly ascending, so no duplicates; no whitespace; canonical
// escapes and integers), one SHA-256 per line. It only ever ACCEPTS: any line it is not certain
// about (non-ASCII member names, `\u` escapes, fractions, a hash, link or anchor that does not
// match, invalid UTF-8, a line over the limit) STOPS the scan, and the caller re-checks from that
// line with the exact core rule (`verifyLineBytes` in src/core/audit.ts). So the answer is always
// `verifyChain`'s, provided everything accepted here is accepted there: keep it that way.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as crypto from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

const NL = 0x0a;
const HEAD = Buffer.from('{"seq":', 'latin1');
const PREV = Buffer.from(',"prev":"', 'latin1');
const HASH = Buffer.from('","hash":"', 'latin1');
const RECORD = Buffer.from('","record":', 'latin1');
const H_PREV = Buffer.from('{"prev":"', 'latin1');
const H_RECORD = Buffer.from('","record":', 'latin1');
const H_SEQ = Buffer.from(',"seq":', 'latin1');

const sha256hex =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

function matchAt(buf, at, lit) {
  for (let i = 0; i < lit.length; i++) if (buf[at + i] !== lit[i]) return false;
  return true;
}

function isLowerHex(buf, at) {
  for (let i = at; i < at + 64; i++) {
    const c = buf[i];
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

// Conservative RFC 8785 check of a record's bytes [i, end): true only when the core's
// canonicalProblem would find nothing. One flat loop (no call per value or string: this runs over
// every byte of the file). Deeper nesting than MAX_DEPTH is left to the core.
const MAX_DEPTH = 64;
const IN_OBJECT = new Uint8Array(MAX_DEPTH);
const PREV_KEY_START = new Float64Array(MAX_DEPTH);
const PREV_KEY_END = new Float64Array(MAX_DEPTH);
const VALUE = 0;
const KEY = 1;
const AFTER = 2;

function isCanonicalRecord(buf, i, end) {
  if (i >= end || buf[i] !== 0x7b) return false;
  let sp = -1;
  let state = VALUE;
  for (;;) {
    if (state === AFTER) {
      if (sp < 0) return i === end;
      if (i >= end) return false;
      const c = buf[i];
      if (c === 0x2c) {
        i++;
        state = IN_OBJECT[sp] === 1 ? KEY : VALUE;
      } else if (c === (IN_OBJECT[sp] === 1 ? 0x7d : 0x5d)) {
        i++;
        sp--;
      } else return false;
      continue;
    }
    if (i >= end) return false;
    let c = buf[i];
    if (state === KEY) {
      if (c !== 0x22) return false;
      const ks = i;
      i++;
      // Member names: plain ASCII without escapes (byte order is then UTF-16 order); else the core decides.
      while (i < end && (c = buf[i]) !== 0x22) {
        if (c < 0x20 || c >= 0x80 || c === 0x5c) return false;
        i++;
      }
      if (i >= end) return false;
      i++;
      const ps = PREV_KEY_START[sp];
      if (ps >= 0 && !keyAfter(buf, ps, PREV_KEY_END[sp], ks, i)) return false;
      PREV_KEY_START[sp] = ks;
      PREV_KEY_END[sp] = i;
      if (i >= end || buf[i] !== 0x3a) return false;
      i++;
      state = VALUE;
      continue;
    }
    // state === VALUE
    if (c === 0x22) {
      i++;
      for (;;) {
        // The hot loop: plain bytes need no bounds check, because the line's newline (or the end
        // of the buffer, read as undefined) stops it like any byte below 0x20 would.
        c = buf[i];
        while (c > 0x22 ? c !== 0x5c : c === 0x20 || c === 0x21) c = buf[++i];
        if (i >= end) return false;
        if (c === 0x22) break;
        if (c !== 0x5c) return false; // a raw control character
        // Only the short escapes JSON.stringify writes; `\u`, `\/` and the rest go to the core.
        const e = i + 1 < end ? buf[i + 1] : 0;
        if (e !== 0x22 && e !== 0x5c && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return false;
        i += 2;
      }
      i++;
      state = AFTER;
    } else if (c === 0x7b || c === 0x5b) {
      if (sp + 1 >= MAX_DEPTH) return false;
      sp++;
      i++;
      const obj = c === 0x7b;
      IN_OBJECT[sp] = obj ? 1 : 0;
      PREV_KEY_START[sp] = -1;
      if (i < end && buf[i] === (obj ? 0x7d : 0x5d)) {
        i++;
        sp--;
        state = AFTER;
      } else state = obj ? KEY : VALUE;
    } else if (c === 0x74) {
      if (!(i + 4 <= end && buf[i + 1] === 0x72 && buf[i + 2] === 0x75 && buf[i + 3] === 0x65)) return false;
      i += 4;
      state = AFTER;
    } else if (c === 0x66) {
      if (!(i + 5 <= end && buf[i + 1] === 0x61 && buf[i + 2] === 0x6c && buf[i + 3] === 0x73 && buf[i + 4] === 0x65)) return false;
      i += 5;
      state = AFTER;
    } else if (c === 0x6e) {
      if (!(i + 4 <= end && buf[i + 1] === 0x75 && buf[i + 2] === 0x6c && buf[i + 3] === 0x6c)) return false;
      i += 4;
      state = AFTER;
    } else {
      // Integers of at most 15 digits are their own ECMAScript form; fractions, exponents, -0 and
      // longer ones go to the core.
      const neg = c === 0x2d;
      const d0 = neg ? i + 1 : i;
      let j = d0;
      while (j < end && buf[j] >= 0x30 && buf[j] <= 0x39) j++;
      const digits = j - d0;
      if (digits === 0 || digits > 15 || (buf[d0] === 0x30 && (digits > 1 || neg))) return false;
      if (j < end && (buf[j] === 0x2e || buf[j] === 0x65 || buf[j] === 0x45)) return false;
      i = j;
      state = AFTER;
    }
  }
}

// Strictly after, comparing two ASCII member-name tokens (quotes included) byte by byte.
function keyAfter(buf, ps, pe, ks, ke) {
  const pl = pe - ps - 2;
  const kl = ke - ks - 2;
  const n = pl < kl ? pl : kl;
  for (let k = 1; k <= n; k++) {
    const x = buf[ps + k];
    const y = buf[ks + k];
    if (x !== y) return x < y;
  }
  return pl < kl;
}

/**
 * Scans the lines that START in [start, end) of the file.
 * Returns { firstLineOffset, lines, records, firstLocal, first, lastContentLocal, head, stop }:
 *   lines      pieces scanned before the stop (blank ones included),
 *   first      {seq, prev} of the first record (its link is checked by the caller) at local index firstLocal,
 *   head       {seq, hash} of the last verified record,
 *   stop       null, or {offset, local}: the first line the fast path cannot vouch for.
 * A line longer than maxLineBytes is never buffered whole: the scan stops at it (the caller names it).
 * With an anchor {seq, hash}, a record past it or differing from it also stops the scan.
 */
export function scanRange({ path, start = 0, end = Infinity, chunkSize = 8 << 20, maxLineBytes = 64 << 20, anchor = null }) {
  const fd = openSync(path, 'r');
  try {
    let size = fstatSync(fd).size;
    const limit = Math.min(end, size);
    let pos = start;
    if (start > 0 && start < size) {
      const one = Buffer.alloc(1);
      readSync(fd, one, 0, 1, start - 1);
      if (one[0] !== NL) pos = nextLineStart(fd, start, size);
    }
    const out = { firstLineOffset: pos, lines: 0, records: 0, firstLocal: -1, first: null, lastContentLocal: -1, head: null, stop: null };
    if (pos >= limit) return out;

    let buf = Buffer.allocUnsafe(chunkSize);
    let bufStart = pos; // file offset of buf[0]
    let bufLen = 0;
    let scratch = Buffer.allocUnsafe(4096);
    let headSeq = 0;
    let headHash = '';
    let validUpTo = -1; // buf index up to which bytes are known valid UTF-8

    while (pos < limit && pos < size) {
      // Make sure the whole line starting at pos is in buf.
      let rel = pos - bufStart;
      let nl = buf.indexOf(NL, rel);
      if (nl < 0 || nl >= bufLen) {
        const remaining = bufLen - rel;
        if (remaining > maxLineBytes) {
          out.stop = { offset: pos, local: out.lines };
          break;
        }
        if (remaining >= buf.length / 2) {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, rel, bufLen);
          buf = bigger;
        } else buf.copy(buf, 0, rel, bufLen);
        bufStart = pos;
        bufLen = remaining;
        const n = readSync(fd, buf, bufLen, buf.length - bufLen, bufStart + bufLen);
        bufLen += n;
        // A file that shrank while we read it: what is left ends here (never loop on empty reads).
        if (n === 0) size = bufStart + bufLen;
        // Validate the complete lines just read once; per line only when this fails.
        const lastNl = buf.lastIndexOf(NL, bufLen - 1);
        const completeEnd = bufStart + bufLen >= size ? bufLen : lastNl + 1;
        validUpTo = completeEnd > 0 && isUtf8(buf.subarray(0, completeEnd)) ? completeEnd : -1;
        rel = 0;
        nl = buf.indexOf(NL, 0);
        if (nl >= bufLen) nl = -1;
        if (nl < 0 && bufStart + bufLen < size) continue; // line longer than buf: grow and read more
      }
      const a = rel;
      const lineEndRel = nl < 0 ? bufLen : nl;
      const b = lineEndRel;

      const local = out.lines;
      if (b - a > maxLineBytes) {
        out.stop = { offset: pos, local };
        break;
      }
      if (a === b) {
        out.lines++;
        pos = bufStart + lineEndRel + 1;
        continue;
      }

      // Fast path: our writer's exact layout, valid UTF-8, hash over the line's own bytes.
      let ok = b - a > HEAD.length && matchAt(buf, a, HEAD);
      let d = a + HEAD.length;
      if (ok) {
        while (d < b && buf[d] >= 0x30 && buf[d] <= 0x39) d++;
        const j = d;
        ok =
          j > a + HEAD.length &&
          j <= a + HEAD.length + 16 &&
          buf[a + HEAD.length] !== 0x30 &&
          b - j >= 160 &&
          matchAt(buf, j, PREV) &&
          matchAt(buf, j + 73, HASH) &&
          matchAt(buf, j + 147, RECORD) &&
          buf[b - 1] === 0x7d &&
          (b <= validUpTo || isUtf8(buf.subarray(a, b))) &&
          isCanonicalRecord(buf, j + 158, b - 1);
      }
      if (ok) {
        const j = d;
        const seq = Number(buf.latin1Slice(a + HEAD.length, j));
        if (!Number.isSafeInteger(seq)) ok = false;
        const prev = buf.latin1Slice(j + 9, j + 73);
        // Link first (cheap). A prev equal to the last verified hash is lowercase hex by construction;
        // only a range's first record needs the explicit check.
        if (ok && out.first !== null) ok = seq === headSeq + 1 && prev === headHash;
        else if (ok) ok = isLowerHex(buf, j + 9);
        if (ok) {
          const seqText = String(seq);
          const bodyLen = b - 1 - (j + 158);
          const need = H_PREV.length + 64 + H_RECORD.length + bodyLen + H_SEQ.length + seqText.length + 1;
          if (need > scratch.length) scratch = Buffer.allocUnsafe(need * 2);
          let w = H_PREV.copy(scratch, 0);
          w += buf.copy(scratch, w, j + 9, j + 73);
          w += H_RECORD.copy(scratch, w);
          w += buf.copy(scratch, w, j + 158, b - 1);
          w += H_SEQ.copy(scratch, w);
          w += scratch.latin1Write(seqText, w);
          scratch[w++] = 0x7d;
          const hash = buf.latin1Slice(j + 83, j + 147);
          // The digest is lowercase hex, so a match also proves the claimed hash is well-formed.
          ok = sha256hex(scratch.subarray(0, w)) === hash;
          if (ok && anchor && (seq > anchor.seq || (seq === anchor.seq && hash !== anchor.hash))) ok = false;
          if (ok) {
            if (out.first === null) {
              out.first = { seq, prev };
              out.firstLocal = local;
            }
            headSeq = seq;
            headHash = hash;
            out.records++;
            out.lastContentLocal = local;
            out.lines++;
            pos = bufStart + lineEndRel + 1;
            continue;
          }
        }
      }
      out.stop = { offset: bufStart + a, local };
      break;
    }
    if (out.records > 0) out.head = { seq: headSeq, hash: headHash };
    return out;
  } finally {
    closeSync(fd);
  }
}

function nextLineStart(fd, from, size) {
  const buf = Buffer.allocUnsafe(1 << 16);
  let at = from;
  while (at < size) {
    const n = readSync(fd, buf, 0, buf.length, at);
    if (n <= 0) break;
    const i = buf.indexOf(NL);
    if (i >= 0 && i < n) return at + i + 1;
    at += n;
  }
  return size;
}

if (!isMainThread && workerData && workerData.firebreakAuditScan) {
  try {
    parentPort.postMessage({ ok: true, scan: scanRange(workerData.firebreakAuditScan) });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
}
