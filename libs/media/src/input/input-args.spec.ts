import { MediaInputRefusedError } from '../errors';
import { ACCEPTED_DEMUXERS } from './accepted-formats';
import { inputArgs } from './input-args';
import { MediaSource } from './media-source';

const S3 = 'http://127.0.0.1:9000';
const presigned = `${S3}/raw-videos/j/source.mp4?X-Amz-Signature=abc`;
const ACCEPTED = 'mov,matroska,avi,mpegts,flv,ogg,asf,mpeg,mp3,wav,aac,flac';

describe('inputArgs: the one way an input reaches ffmpeg/ffprobe', () => {
  it('a local file: accepted containers, the file protocol only, an I/O timeout, then -i file:<path>', () => {
    expect(inputArgs('/tmp/job/source.mp4')).toEqual([
      '-format_whitelist',
      ACCEPTED,
      '-protocol_whitelist',
      'file',
      '-rw_timeout',
      '30000000',
      '-i',
      'file:/tmp/job/source.mp4',
    ]);
  });

  it('a presigned URL of our S3: http+tcp only, reconnects, the size limit and a seek when asked', () => {
    const source = MediaSource.storageUrl(presigned, S3);
    expect(inputArgs(source, { maxPixels: 33177600, seekFromEndS: 3, rwTimeoutS: 10 })).toEqual([
      '-format_whitelist',
      ACCEPTED,
      '-protocol_whitelist',
      'http,tcp',
      '-rw_timeout',
      '10000000',
      '-reconnect',
      '1',
      '-reconnect_streamed',
      '1',
      '-reconnect_delay_max',
      '5',
      '-max_pixels',
      '33177600',
      '-sseof',
      '-3',
      '-i',
      presigned,
    ]);
    expect(inputArgs(MediaSource.storageUrl('https://s3.example.com/b/k', 'https://s3.example.com'))).toEqual(
      expect.arrayContaining(['-protocol_whitelist', 'https,tls,tcp']),
    );
  });

  it('a chunk of a split transcode: its time range of the presigned source, in microseconds, before -i', () => {
    const source = MediaSource.storageUrl(presigned, S3);
    const args = inputArgs(source, { maxPixels: 100, fromS: 60.06, untilS: 120.12 });
    expect(args.slice(-7)).toEqual(['100', '-ss', '60.060000', '-to', '120.120000', '-i', presigned]);
    expect(inputArgs(source, { untilS: 60 })).not.toContain('-ss');
  });

  it('our own concat list: the concat demuxer forced and refusing unsafe names, then mov only, files only', () => {
    expect(inputArgs(MediaSource.concatList('/tmp/job/720p.ffconcat'))).toEqual([
      '-format_whitelist',
      'concat,mov',
      '-protocol_whitelist',
      'file',
      '-rw_timeout',
      '30000000',
      '-f',
      'concat',
      '-safe',
      '1',
      '-i',
      'file:/tmp/job/720p.ffconcat',
    ]);
    expect(() => MediaSource.concatList('720p.ffconcat')).toThrow(MediaInputRefusedError);
  });

  it('no demuxer that opens other inputs is accepted', () => {
    for (const opener of [
      'hls',
      'applehttp',
      'dash',
      'concat',
      'image2',
      'image2pipe',
      'sdp',
      'rtp',
      'rtsp',
      'data',
      'lavfi',
      'tee',
      'subfile',
    ]) {
      expect(ACCEPTED_DEMUXERS).not.toContain(opener);
    }
  });

  it('refuses a URL of any other origin, credentials in a URL, and relative paths', () => {
    expect(() => MediaSource.storageUrl('http://127.0.0.1:8081/x.mp4', S3)).toThrow(MediaInputRefusedError);
    expect(() => MediaSource.storageUrl('http://169.254.169.254/latest/meta-data', S3)).toThrow(MediaInputRefusedError);
    expect(() => MediaSource.storageUrl('http://user:pw@127.0.0.1:9000/b/k', S3)).toThrow(MediaInputRefusedError);
    expect(() => MediaSource.of('concat:/a.mp4|/b.mp4')).toThrow(MediaInputRefusedError);
    expect(() => MediaSource.of('source.mp4')).toThrow(MediaInputRefusedError);
  });

  it('takes the allowed origin from the storage configuration (TF_S3_ENDPOINT)', () => {
    const before = process.env.TF_S3_ENDPOINT;
    process.env.TF_S3_ENDPOINT = 'http://10.0.0.5:9000';
    try {
      expect(MediaSource.of('http://10.0.0.5:9000/b/k.mp4?sig=1').isRemote).toBe(true);
      expect(() => MediaSource.of(presigned)).toThrow(MediaInputRefusedError);
    } finally {
      if (before === undefined) delete process.env.TF_S3_ENDPOINT;
      else process.env.TF_S3_ENDPOINT = before;
    }
  });
});
