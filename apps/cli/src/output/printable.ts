// What a tenant or an uploader chose (key names, file names, labels, messages) is printed through
// `printable`: a control character could otherwise end the line and forge the next one, or rewrite
// the terminal (escape sequences, bidirectional overrides).

/** C0/C1 controls and DEL, line and paragraph separators, the bidirectional controls, and the backslash (so an escape stays unambiguous). */
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\\]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

const escape = (ch: string): string => {
  if (NAMED[ch]) return NAMED[ch];
  const code = ch.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
};

/** The text on one line, with every unsafe character written as an escape (\n, \x1b, \u{202e}, \\). */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}
