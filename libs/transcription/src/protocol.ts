import type { TranscriptResult, WhisperReadyInfo } from './types';

/** A request line sent to whisper_worker.py. */
export interface WorkerRequest {
  id: number;
  audio_path: string;
  language: string | null;
  beam_size?: number;
  /** Absent: the worker's defaults (TF_WHISPER_VAD, TF_WHISPER_WORD_TIMESTAMPS, the batched-pipeline rule). */
  vad?: boolean;
  word_timestamps?: boolean;
  /** 0: the sequential decoder; > 0: faster-whisper's batched pipeline with this batch size. */
  batch_size?: number;
}

/** Everything the worker may print on stdout, one JSON object per line. */
export type WorkerMessage =
  | { kind: 'ready'; info: WhisperReadyInfo }
  | { kind: 'fatal'; error: string }
  | { kind: 'result'; id: number | string | null; result: TranscriptResult }
  | { kind: 'error'; id: number | string | null; error: string }
  | { kind: 'invalid'; line: string; reason: string };

export function encodeRequest(req: WorkerRequest): string {
  return JSON.stringify(req) + '\n';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Classifies one stdout line of the worker. Never throws. */
export function parseWorkerLine(line: string): WorkerMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return { kind: 'invalid', line, reason: 'not JSON' };
  }
  if (!isObject(msg)) return { kind: 'invalid', line, reason: 'not a JSON object' };
  if (msg.type === 'ready') {
    if (typeof msg.model !== 'string') return { kind: 'invalid', line, reason: 'ready line without model' };
    return { kind: 'ready', info: msg as unknown as WhisperReadyInfo };
  }
  if (msg.type === 'fatal') {
    return { kind: 'fatal', error: typeof msg.error === 'string' ? msg.error : 'unknown fatal error' };
  }
  const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
  if (msg.ok === true) {
    if (!Array.isArray(msg.segments) || typeof msg.duration_s !== 'number' || typeof msg.language !== 'string') {
      return { kind: 'invalid', line, reason: 'ok answer without segments, duration_s or language' };
    }
    const { id: _id, ok: _ok, ...rest } = msg;
    return { kind: 'result', id, result: rest as unknown as TranscriptResult };
  }
  if (msg.ok === false) {
    return { kind: 'error', id, error: typeof msg.error === 'string' ? msg.error : 'unknown worker error' };
  }
  return { kind: 'invalid', line, reason: 'neither ready, fatal nor an answer' };
}

/** Splits a byte stream into lines (UTF-8 safe across chunk boundaries). */
export class LineSplitter {
  private buffer = '';
  private readonly decoder = new TextDecoder('utf-8');

  push(chunk: Buffer | string): string[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    return lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  }

  /** Whatever is left without a trailing newline. */
  flush(): string[] {
    const rest = this.buffer + this.decoder.decode();
    this.buffer = '';
    return rest.trim() === '' ? [] : [rest];
  }
}
