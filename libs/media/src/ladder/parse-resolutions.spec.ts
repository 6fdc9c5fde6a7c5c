import { UnknownResolutionError } from '../errors';
import { parseResolutions } from './parse-resolutions';

describe('parseResolutions', () => {
  it('parses the comma list the gateway receives, sorted small to large', () => {
    expect(parseResolutions('720p,360p')).toEqual(['360p', '720p']);
    expect(parseResolutions(' 1080P , 480p,480p ')).toEqual(['480p', '1080p']);
    expect(parseResolutions(['2160p', '1440p'])).toEqual(['1440p', '2160p']);
  });

  it('gives an empty list for empty input', () => {
    expect(parseResolutions('')).toEqual([]);
    expect(parseResolutions(' , ')).toEqual([]);
  });

  it('rejects unknown labels with UNKNOWN_RESOLUTION', () => {
    expect(() => parseResolutions('360p,999p')).toThrow(UnknownResolutionError);
    try {
      parseResolutions('240p');
    } catch (error) {
      expect(error).toMatchObject({ code: 'UNKNOWN_RESOLUTION', label: '240p' });
      expect((error as Error).message).toContain('360p, 480p, 720p, 1080p, 1440p, 2160p');
    }
    expect.assertions(3);
  });
});
