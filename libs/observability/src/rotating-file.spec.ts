import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@tf/config';
import { RotatingFile } from './rotating-file';
import { telemetryEnv } from './telemetry';

describe('RotatingFile (the span file)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tf-rotate-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const line = (n: number) => `${JSON.stringify({ n, pad: 'x'.repeat(80) })}\n`;
  const numbersIn = (path: string) =>
    existsSync(path)
      ? readFileSync(path, 'utf8')
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { n: number }).n)
      : [];

  it('rotates at the size bound and keeps N files: bounded in total, newest lines kept, in order', () => {
    const path = join(dir, 'spans.jsonl');
    const file = new RotatingFile(path, { maxBytes: 1_000, keep: 2 });
    for (let n = 0; n < 200; n++) file.append(line(n));
    expect(readdirSync(dir).sort()).toEqual(['spans.jsonl', 'spans.jsonl.1', 'spans.jsonl.2']);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThan(1_000 + line(0).length);
    const kept = [...numbersIn(`${path}.2`), ...numbersIn(`${path}.1`), ...numbersIn(path)];
    expect(kept.at(-1)).toBe(199);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 200 - kept.length + i));
    expect(kept.length).toBeGreaterThan(20);
  });

  it('two writers of one file (the services of the local stack) rotate it once at a time, losing no line of the kept files', () => {
    const path = join(dir, 'spans.jsonl');
    const a = new RotatingFile(path, { maxBytes: 2_000, keep: 5 });
    const b = new RotatingFile(path, { maxBytes: 2_000, keep: 5 });
    for (let n = 0; n < 60; n++) (n % 2 ? a : b).append(line(n));
    const kept = [5, 4, 3, 2, 1].flatMap((k) => numbersIn(`${path}.${k}`)).concat(numbersIn(path));
    expect(kept).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('leaves the rotation to the holder of a fresh lock, and takes over a stale one', () => {
    const path = join(dir, 'spans.jsonl');
    const file = new RotatingFile(path, { maxBytes: 100, keep: 1 });
    writeFileSync(path, line(0) + line(1));
    writeFileSync(`${path}.lock`, '');
    file.append(line(2));
    expect(existsSync(`${path}.1`)).toBe(false);
    expect(numbersIn(path)).toEqual([0, 1, 2]);
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(`${path}.lock`, old, old);
    file.append(line(3)); // finds the stale lock and removes it
    file.append(line(4)); // rotates
    expect(numbersIn(`${path}.1`)).toEqual([0, 1, 2, 3]);
    expect(numbersIn(path)).toEqual([4]);
  });

  it('reads its bounds through @tf/config: defaults, overrides, and a bad value stops the start-up', () => {
    expect(telemetryEnv({})).toMatchObject({
      TF_OTEL_SPANS_FILE_MAX_BYTES: 8 * 1024 * 1024,
      TF_OTEL_SPANS_FILE_KEEP: 3,
    });
    expect(telemetryEnv({ TF_OTEL_SPANS_FILE_MAX_BYTES: '65536', TF_OTEL_SPANS_FILE_KEEP: '5' })).toMatchObject({
      TF_OTEL_SPANS_FILE_MAX_BYTES: 65_536,
      TF_OTEL_SPANS_FILE_KEEP: 5,
    });
    expect(() => telemetryEnv({ TF_OTEL_SPANS_FILE_KEEP: '0' })).toThrow(ConfigError);
    expect(() => telemetryEnv({ TF_OTEL_SPANS_FILE_MAX_BYTES: '10MB' })).toThrow(/TF_OTEL_SPANS_FILE_MAX_BYTES/);
  });
});
