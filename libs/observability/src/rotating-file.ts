import { closeSync, openSync, renameSync, rmSync, statSync, appendFileSync } from 'node:fs';

export interface RotationLimits {
  /** The live file is rotated once it holds this many bytes (it may pass it by the last append). */
  maxBytes: number;
  /** Rotated files kept beside it (`<path>.1` newest … `<path>.<keep>` oldest); older ones are deleted. */
  keep: number;
}

/** A rotation lock older than this was left by a process that died mid-rotation: it is taken over. */
const STALE_LOCK_MS = 10_000;

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

const moveIfPresent = (from: string, to: string): void => {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
};

/**
 * An append-only file bounded in size, shared by several processes (the local stack's six services
 * write one span file): each append goes to `path` (O_APPEND: whole lines, whoever writes); a writer
 * that finds it full rotates it — `path` → `path.1` → … → `path.<keep>`, the oldest deleted — under
 * a lock file created with O_EXCL, so two writers never rotate at once. A writer that finds the lock
 * taken appends to the live file and leaves the rotation to its holder. The whole stays under about
 * (keep + 1) × maxBytes.
 */
export class RotatingFile {
  constructor(
    readonly path: string,
    private readonly limits: RotationLimits,
  ) {}

  append(text: string): void {
    if (sizeOf(this.path) >= this.limits.maxBytes) this.rotate();
    appendFileSync(this.path, text);
  }

  private rotate(): void {
    const lock = `${this.path}.lock`;
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      this.releaseIfStale(lock);
      return;
    }
    try {
      // Another writer may have rotated between our size check and the lock.
      if (sizeOf(this.path) < this.limits.maxBytes) return;
      rmSync(`${this.path}.${this.limits.keep}`, { force: true });
      for (let n = this.limits.keep - 1; n >= 1; n--) moveIfPresent(`${this.path}.${n}`, `${this.path}.${n + 1}`);
      moveIfPresent(this.path, `${this.path}.1`);
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }

  private releaseIfStale(lock: string): void {
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
    } catch {
      // Released meanwhile.
    }
  }
}
