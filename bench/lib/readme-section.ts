// The benches' results live in one place, bench/README.md: each bench owns one "## Title" section and
// replaces only that one, so that benches (and people) editing other sections do not collide.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const BENCH_README = path.resolve(__dirname, '..', 'README.md');

/**
 * Replaces the section whose first line `section` starts with ("## Title"), up to the next "## " heading,
 * or appends it at the end when the README has no such section yet. The header above the first section and
 * every other section stay as they are.
 */
export function writeReadmeSection(section: string, file = BENCH_README): void {
  const heading = /^## .+$/m.exec(section.trimStart())?.[0];
  if (!heading || !section.trimStart().startsWith(heading))
    throw new Error('a README section starts with a "## " heading');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const body = `${section.trim()}\n`;
  const start = text.search(new RegExp(`^${escapeRegExp(heading.trimEnd())}\\s*$`, 'm'));
  let updated: string;
  if (start === -1) {
    updated = `${text.trimEnd()}\n\n${body}`;
  } else {
    const rest = text.slice(start + 1).search(/^## /m);
    const next = rest === -1 ? text.length : start + 1 + rest;
    const after = text.slice(next).replace(/^\n+/, '');
    updated = `${text.slice(0, start)}${body}${after ? `\n${after}` : ''}`;
  }
  writeFileSync(file, updated);
  console.log(`updated ${path.relative(process.cwd(), file)} (${heading})`);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
