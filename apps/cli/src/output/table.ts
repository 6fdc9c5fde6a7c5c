/**
 * A header and one line per row, columns aligned with two spaces between them; the last column is not
 * padded (it is the free text one: a name, an error). Cells must already be printable.
 */
export function formatTable(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ');
  return [line(header), ...rows.map(line)];
}
