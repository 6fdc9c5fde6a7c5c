// Every ffmpeg run of the processes a bench starts, one record each: when it started and ended, its CPU
// time, and its arguments, so a bench can tell a chunk encode from the audio encode or the assembly and
// time each. A bash wrapper (FFMPEG_PATH, which @tf/media's runner honours under prlimit) writes one file
// per run, named by its pid, so concurrent runs of several processes never interleave in one log.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bashTimesSeconds } from './measure';

export interface FfmpegRun {
  /** Epoch seconds. */
  startS: number;
  endS: number;
  exitCode: number;
  /** user + system seconds of the run (all its threads). */
  cpuS: number;
  args: string[];
}

export interface FfmpegRunLog {
  /** Point FFMPEG_PATH here (in the environment of the processes to watch). */
  wrapper: string;
  reset(): void;
  runs(): FfmpegRun[];
}

export function makeFfmpegRunLog(dir: string): FfmpegRunLog {
  const realFfmpeg = execFileSync('bash', ['-c', 'command -v ffmpeg']).toString().trim();
  const wrapper = path.join(dir, 'ffmpeg-logged.sh');
  const logDir = path.join(dir, 'ffmpeg-runs');
  mkdirSync(logDir, { recursive: true });
  // `times` must not run in a pipe or a subshell (those have no children): a brace group redirected to the file.
  writeFileSync(
    wrapper,
    [
      '#!/usr/bin/env bash',
      'start=$(date +%s.%N)',
      `"${realFfmpeg}" "$@"`,
      'rc=$?',
      `rec="${logDir}/$$.run"`,
      '{ echo "$start $(date +%s.%N) $rc"; printf \'%s\\0\' "$@" | base64 -w0; echo; times; } > "$rec"',
      'exit $rc',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return {
    wrapper,
    reset: () => {
      rmSync(logDir, { recursive: true, force: true });
      mkdirSync(logDir, { recursive: true });
    },
    runs: () =>
      readdirSync(logDir)
        .map((f) => readFileSync(path.join(logDir, f), 'utf8').split('\n'))
        .filter((lines) => lines.length >= 5)
        .map(([head, args, , children]) => {
          const [startS, endS, exitCode] = head.split(' ').map(Number);
          return {
            startS,
            endS,
            exitCode,
            // The children's line of `times`: ffmpeg's user and system time.
            cpuS: bashTimesSeconds(children),
            args: Buffer.from(args, 'base64').toString('utf8').split('\0').filter(Boolean),
          };
        })
        .sort((a, b) => a.startS - b.startS),
  };
}
