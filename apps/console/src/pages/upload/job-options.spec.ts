import { DEFAULT_JOB_OPTIONS, optionsProblem, uploadFieldsOf } from './job-options';

describe('upload job options', () => {
  it('the defaults send the gateway defaults and leave blank fields out', () => {
    expect(uploadFieldsOf(DEFAULT_JOB_OPTIONS)).toEqual({
      target_resolutions: ['360p', '720p'],
      enable_hls: true,
      enable_transcription: true,
      priority: 'normal',
    });
  });

  it('sends resolutions in ladder order, labels split and trimmed, language and webhook when given', () => {
    expect(
      uploadFieldsOf({
        resolutions: ['1080p', '360p'],
        hls: false,
        transcription: false,
        language: 'de',
        labels: ' campaign-42, ,draft ',
        priority: 'high',
        webhookUrl: ' https://hooks.example/tf ',
      }),
    ).toEqual({
      target_resolutions: ['360p', '1080p'],
      enable_hls: false,
      enable_transcription: false,
      priority: 'high',
      language: 'de',
      labels: ['campaign-42', 'draft'],
      webhook_url: 'https://hooks.example/tf',
    });
  });

  it('needs at least one resolution', () => {
    expect(optionsProblem(DEFAULT_JOB_OPTIONS)).toBeNull();
    expect(optionsProblem({ ...DEFAULT_JOB_OPTIONS, resolutions: [] })).toMatch(/at least one resolution/);
  });
});
