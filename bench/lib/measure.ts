// Small helpers the benches share: command-line options, timing, medians, the machine's load.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

/** `--name value` options and `--flag` switches of process.argv. */
export function cliOptions(argv = process.argv.slice(2)): {
  option(name: string, fallback: string): string;
  flag(name: string): boolean;
} {
  return {
    option: (name, fallback) => {
      const i = argv.indexOf(`--${name}`);
      return i !== -1 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
    },
    flag: (name) => argv.includes(`--${name}`),
  };
}

/** Wall seconds of an (a)synchronous step. */
export async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** "9.4 / 9.6 / 9.2" (1, 5 and 15 min). */
export const loadAverages = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

export const coreCount = (): number => cpus().length;

/** Seconds of a line of bash's `times` ("0m1.234s 0m0.056s": user and system), summed. */
export function bashTimesSeconds(line: string): number {
  return line
    .split(/\s+/)
    .filter(Boolean)
    .map((v) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(v);
      if (!m) throw new Error(`unexpected bash times output: ${line}`);
      return 60 * Number(m[1]) + Number(m[2]);
    })
    .reduce((a, b) => a + b, 0);
}

/** Runs a bench's main and exits: 0 when it finished (Kafka clients and timers may still hold the loop), 1 on error. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
