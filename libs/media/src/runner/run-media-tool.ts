import { spawn } from 'node:child_process';
import { ffmpegBinary, ffprobeBinary, niceBinary, prlimitBinary } from '../binaries';
import { MediaLimitExceededError } from '../errors';
import { FfmpegAbortedError, FfmpegExitError } from './ffmpeg-errors';
import type { MediaBudget } from './media-budget';
import { StderrTail } from './stderr-tail';

export type MediaTool = 'ffmpeg' | 'ffprobe';

export interface RunMediaToolOptions {
  /** Wall clock, CPU time and memory of this run; see mediaBudget(). */
  budget: MediaBudget;
  /** Aborting stops the process: SIGTERM, then SIGKILL after killGraceMs. */
  signal?: AbortSignal;
  killGraceMs?: number;
  onStdout?: (chunk: Buffer) => void;
}

/** What ffmpeg/ffprobe print when an allocation failed under RLIMIT_AS. */
const OUT_OF_MEMORY =
  /Cannot allocate memory|malloc of size \d+ failed|out of memory|std::bad_alloc|failed to map segment/i;
/** Signals the kernel sends for RLIMIT_CPU (SIGKILL at the hard limit) or a failed allocation may end in. */
const LIMIT_SIGNALS = new Set<NodeJS.Signals>(['SIGXCPU', 'SIGKILL', 'SIGSEGV', 'SIGABRT', 'SIGBUS']);

/**
 * The full command line: the tool under `prlimit` (util-linux), which sets the limits and execs it, through `nice`
 * (coreutils) when the budget lowers its priority: the exec chain sets it before the tool's first instruction.
 */
export function limitedCommand(
  tool: MediaTool,
  args: readonly string[],
  budget: MediaBudget,
): { command: string; args: string[] } {
  return {
    command: prlimitBinary(),
    args: [
      `--as=${budget.memoryBytes}`,
      // Soft = hard: the kernel sends SIGKILL. ffmpeg traps SIGXCPU and exits like on Ctrl-C, which would look like any failure.
      `--cpu=${budget.cpuS}:${budget.cpuS}`,
      '--',
      ...(budget.niceness > 0 ? [niceBinary(), '-n', String(budget.niceness)] : []),
      tool === 'ffmpeg' ? ffmpegBinary() : ffprobeBinary(),
      ...args,
    ],
  };
}

/**
 * Runs ffmpeg or ffprobe with an argv from the builders, inside its budget: killed after budget.wallS
 * (MEDIA_TIMEOUT), stopped by the kernel at budget.cpuS or failing allocations past budget.memoryBytes
 * (MEDIA_RESOURCE_LIMIT). Other failures reject with FfmpegExitError (exit code + stderr tail), an abort
 * with FfmpegAbortedError. Resolves with the stderr tail.
 */
export function runMediaTool(
  tool: MediaTool,
  args: readonly string[],
  options: RunMediaToolOptions,
): Promise<{ stderr: string }> {
  const { budget, signal, killGraceMs = 5000, onStdout } = options;

  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new FfmpegAbortedError(signal.reason));
      return;
    }
    const { command, args: argv } = limitedCommand(tool, args, budget);
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr = new StderrTail();
    let aborted = false;
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;

    const onAbort = () => {
      aborted = true;
      child.kill('SIGTERM');
      // ffmpeg finishes its files on SIGTERM, which can take a while (faststart rewrites the whole MP4).
      killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
      killTimer.unref();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const wallTimer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, budget.wallS * 1000);

    child.stdout.on('data', (chunk: Buffer) => onStdout?.(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(wallTimer);
      if (killTimer) clearTimeout(killTimer);
    };
    child.on('error', (error) => {
      finish();
      reject(error);
    });
    child.on('close', (code, killSignal) => {
      finish();
      const tail = stderr.lastLines();
      if (aborted) reject(new FfmpegAbortedError(signal?.reason));
      else if (timedOut)
        reject(
          new MediaLimitExceededError(
            'MEDIA_TIMEOUT',
            `Processing the media took longer than its time budget (${budget.wallS} s)`,
          ),
        );
      else if ((killSignal && LIMIT_SIGNALS.has(killSignal)) || (code !== 0 && OUT_OF_MEMORY.test(tail))) {
        reject(
          new MediaLimitExceededError(
            'MEDIA_RESOURCE_LIMIT',
            `Processing the media went over its ${killSignal === 'SIGXCPU' || killSignal === 'SIGKILL' ? 'CPU time' : 'memory'} limit`,
          ),
        );
      } else if (code !== 0) reject(new FfmpegExitError(code, killSignal, tail, tool));
      else resolve({ stderr: stderr.all() });
    });
  });
}
