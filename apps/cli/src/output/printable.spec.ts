import { printable } from './printable';

describe('printable', () => {
  it('keeps ordinary text, spaces and non-Latin letters as they are', () => {
    expect(printable('ci key (Zoë, 東京)')).toBe('ci key (Zoë, 東京)');
  });

  it('writes line breaks, tabs and the backslash as escapes: a name cannot forge a line', () => {
    const forged = 'ok\n00000000-0000-4000-8000-000000000000\ttfk_forged…\tevil\tactive';
    expect(printable(forged)).toBe('ok\\n00000000-0000-4000-8000-000000000000\\ttfk_forged…\\tevil\\tactive');
    expect(printable(forged)).not.toMatch(/[\n\t]/);
    expect(printable('a\\nb')).toBe('a\\\\nb');
    expect(printable('a\r\nb')).toBe('a\\r\\nb');
  });

  it('escapes terminal escape sequences, C1 controls, Unicode line separators and bidirectional overrides', () => {
    expect(printable('\x1b[2J\x1b]0;title\x07')).toBe('\\x1b[2J\\x1b]0;title\\x07');
    expect(printable('a\x7fb\u0085c')).toBe('a\\x7fb\\x85c');
    expect(printable('a\u2028b\u2029c')).toBe('a\\u{2028}b\\u{2029}c');
    expect(printable('invoice\u202Efdp.exe')).toBe('invoice\\u{202e}fdp.exe');
    expect(printable('x\u2066y\u200Fz')).toBe('x\\u{2066}y\\u{200f}z');
  });
});
