import { InputError } from '../errors.js';

/**
 * Splits one command line the way a shell splits words, and does nothing else a shell does: no
 * variable, command, tilde, brace or glob expansion, no operators. `'…'` is literal, `"…"` takes
 * `\"` and `\\`, a backslash outside quotes escapes the next character, and typographic quotes
 * (“…”, ‘…’, which phones and GitHub's editor produce) count as quotes. The text comes from an
 * untrusted comment: the words only ever become input values for a step's own schema.
 */
export const COMMAND_LINE_MAX_LENGTH = 2_000;

const OPEN_CLOSE: Readonly<Record<string, string>> = { '"': '"', "'": "'", '\u201c': '\u201d', '\u2018': '\u2019' };

export function tokenizeCommandLine(line: string): string[] {
  if (line.length > COMMAND_LINE_MAX_LENGTH) {
    throw new InputError(`the command is ${line.length} characters long, more than ${COMMAND_LINE_MAX_LENGTH}`, { field: 'command', code: 'COMMAND_TOO_LONG' });
  }
  // Control characters (other than tab) have no place in a command and hide text from reviewers.
  const control = [...line].find((ch) => /[\u0000-\u0008\u000a-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(ch));
  if (control !== undefined) {
    throw new InputError(`the command contains the control character U+${control.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`, { field: 'command', code: 'COMMAND_CONTROL_CHARACTER' });
  }
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const chars = [...line];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '\\') {
      if (i + 1 >= chars.length) throw new InputError('the command ends with a lone backslash', { field: 'command', code: 'COMMAND_UNTERMINATED' });
      word += chars[++i]!;
      continue;
    }
    const close = OPEN_CLOSE[ch];
    if (close === undefined) {
      word += ch;
      continue;
    }
    let j = i + 1;
    for (; j < chars.length && chars[j] !== close; j++) {
      const c = chars[j]!;
      if (ch === '"' && c === '\\' && (chars[j + 1] === '"' || chars[j + 1] === '\\')) word += chars[++j]!;
      else word += c;
    }
    if (j >= chars.length) throw new InputError(`the command has an unterminated ${ch} quote`, { field: 'command', code: 'COMMAND_UNTERMINATED' });
    i = j;
  }
  if (inWord) words.push(word);
  return words;
}
