import { PassThrough } from 'node:stream';
import type { TerminalIo } from '../io';
import { UploadProgressView, uploadPercent } from './progress';

const lineIo = (interactive = false) => {
  const err: string[] = [];
  const stream = new PassThrough();
  let drawn = '';
  stream.on('data', (c: Buffer) => (drawn += c.toString()));
  const io: TerminalIo = { out: () => undefined, err: (l) => err.push(l), interactive, progressStream: stream };
  return { io, err, drawn: () => drawn };
};

describe('upload progress', () => {
  it('is the share of the file sent, floored, and never above 100 (the multipart framing adds a few bytes)', () => {
    expect(uploadPercent(0, 1000)).toBe(0);
    expect(uploadPercent(499, 1000)).toBe(49);
    expect(uploadPercent(1000, 1000)).toBe(100);
    expect(uploadPercent(1250, 1000)).toBe(100);
    expect(uploadPercent(10, 0)).toBe(100);
  });

  it('without a terminal, prints a line at every quarter, once each', () => {
    const { io, err } = lineIo();
    const view = new UploadProgressView(io, 'clip.mp4');
    const total = 4 * 1024 * 1024;
    for (let sent = 0; sent <= total + 300; sent += 65536) view.onProgress(Math.min(sent, total + 300), total);
    view.onProgress(total + 300, total);
    view.stop();
    expect(err).toEqual([
      'uploading clip.mp4: 25% (1.0 MiB of 4.0 MiB)',
      'uploading clip.mp4: 50% (2.0 MiB of 4.0 MiB)',
      'uploading clip.mp4: 75% (3.0 MiB of 4.0 MiB)',
      'uploading clip.mp4: 100% (4.0 MiB of 4.0 MiB)',
    ]);
  });

  it('on a terminal, draws a bar with the percentage and the bytes sent', () => {
    const { io, err, drawn } = lineIo(true);
    const view = new UploadProgressView(io, 'clip.mp4');
    try {
      view.onProgress(512 * 1024, 2 * 1024 * 1024);
      expect(drawn()).toMatch(/uploading \[[^\]]*\] 25% \| 512\.0 KiB of 2\.0 MiB/);
    } finally {
      view.stop();
    }
    expect(err).toEqual([]);
  });
});
