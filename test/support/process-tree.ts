// What a service process is running right now, read from /proc: the chunked-transcode test finds the
// transcoder replica whose ffmpeg encodes a given chunk, to SIGKILL exactly that one.
import { readFileSync, readdirSync } from 'node:fs';

export interface RunningProcess {
  pid: number;
  argv: string[];
}

function parentOf(pid: number): number | undefined {
  try {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // gone meanwhile
  }
}

function argvOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** The direct children of `pid` and their command lines (ffmpeg runs under prlimit, which execs it: same pid). */
export function childrenOf(pid: number): RunningProcess[] {
  const children: RunningProcess[] = [];
  for (const name of readdirSync('/proc')) {
    const child = Number(name);
    if (!Number.isInteger(child) || parentOf(child) !== pid) continue;
    const argv = argvOf(child);
    if (argv) children.push({ pid: child, argv });
  }
  return children;
}

/** The value following `flag` in an argv (`-ss 30.8` → "30.8"), if any. */
export function argAfter(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i === -1 ? undefined : argv[i + 1];
}
