import { EnvInt, EnvNumber, readEnv } from '@tf/config';

/**
 * How much one ffmpeg/ffprobe run may take: wall-clock time scaled by the media duration, CPU time, and
 * memory (address space). A run over its budget is stopped and fails with MEDIA_TIMEOUT or
 * MEDIA_RESOURCE_LIMIT (see run-media-tool.ts); the numbers come from one table plus environment overrides.
 */
export interface MediaBudget {
  /** Wall-clock seconds before the process is killed. */
  wallS: number;
  /** CPU seconds (all threads together: RLIMIT_CPU) before the kernel stops it. */
  cpuS: number;
  /** Address-space bytes (RLIMIT_AS): allocations beyond fail. */
  memoryBytes: number;
  /**
   * Scheduling niceness (0-19) the run starts with: encodes yield the CPU to the service's own event handling,
   * heartbeats and HTTP answers, which otherwise wait behind a multi-threaded ffmpeg on a small machine.
   */
  niceness: number;
}

/** What a run does, which decides how its time grows with the media's duration. */
export type MediaTask = 'probe' | 'scan' | 'tailDecode' | 'encode' | 'remux' | 'audio';

/** Seconds = baseS + perMediaS x duration (in seconds of media). */
const TIME_TABLE: Readonly<Record<MediaTask, { baseS: number; perMediaS: number }>> = Object.freeze({
  // Reads headers only: duration is unknown yet.
  probe: { baseS: 30, perMediaS: 0 },
  // Demuxes every packet, decodes key frames only (validation's frame scan).
  scan: { baseS: 30, perMediaS: 0.1 },
  tailDecode: { baseS: 30, perMediaS: 0 },
  // One decode, the whole ladder encoded: a few times real time on two cores at worst.
  encode: { baseS: 120, perMediaS: 8 },
  remux: { baseS: 30, perMediaS: 0.5 },
  audio: { baseS: 30, perMediaS: 0.5 },
});

export interface MediaBudgetSettings {
  /** Multiplies every wall-clock budget (TF_MEDIA_TIME_SCALE, default 1). */
  timeScale: number;
  /** CPU seconds allowed per wall-clock second (TF_MEDIA_CPU_PER_WALL, default 2: ffmpeg is multi-threaded). */
  cpuPerWall: number;
  /** Address space of one run (TF_MEDIA_MEMORY_MB, default 4096: a 1080p ladder peaks near 0.5 GB resident). */
  memoryBytes: number;
  /** I/O timeout of every read of an input (TF_MEDIA_RW_TIMEOUT_S, default 30; ffmpeg's -rw_timeout). */
  rwTimeoutS: number;
  /** Niceness of every run (TF_MEDIA_NICE, 0-19, default 10; PeerTube runs its VOD encodes at 15). */
  niceness: number;
}

/** Positive numbers (see MediaBudgetSettings). */
class MediaBudgetEnv {
  @EnvNumber({ positive: true }) TF_MEDIA_TIME_SCALE = 1;
  @EnvNumber({ positive: true }) TF_MEDIA_CPU_PER_WALL = 2;
  @EnvNumber({ positive: true }) TF_MEDIA_MEMORY_MB = 4096;
  @EnvNumber({ positive: true }) TF_MEDIA_RW_TIMEOUT_S = 30;
  @EnvInt({ min: 0, max: 19 }) TF_MEDIA_NICE = 10;
}

export function mediaBudgetSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MediaBudgetSettings {
  const read = readEnv(MediaBudgetEnv, env);
  return {
    timeScale: read.TF_MEDIA_TIME_SCALE,
    cpuPerWall: read.TF_MEDIA_CPU_PER_WALL,
    memoryBytes: read.TF_MEDIA_MEMORY_MB * 1024 * 1024,
    rwTimeoutS: read.TF_MEDIA_RW_TIMEOUT_S,
    niceness: read.TF_MEDIA_NICE,
  };
}

/** The budget of one run of `task` over media lasting `durationS` seconds. */
export function mediaBudget(
  task: MediaTask,
  durationS = 0,
  settings: MediaBudgetSettings = mediaBudgetSettingsFromEnv(),
): MediaBudget {
  const { baseS, perMediaS } = TIME_TABLE[task];
  const media = Number.isFinite(durationS) && durationS > 0 ? durationS : 0;
  const wallS = Math.ceil((baseS + perMediaS * media) * settings.timeScale);
  return {
    wallS,
    cpuS: Math.ceil(wallS * settings.cpuPerWall),
    memoryBytes: Math.floor(settings.memoryBytes),
    niceness: settings.niceness,
  };
}
