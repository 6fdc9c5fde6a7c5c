import { metricsRegistry } from '@tf/observability';
import { observeTranscription } from './transcription-metrics';

const read = async (name: string, suffix = '') => {
  const { values } = await metricsRegistry.getSingleMetric(name)!.get();
  return (
    (values as Array<{ metricName?: string; value: number }>).find((v) => (v.metricName ?? name) === `${name}${suffix}`)
      ?.value ?? 0
  );
};

describe('transcription metrics', () => {
  beforeEach(() => metricsRegistry.resetMetrics());

  it('adds the audio seconds and observes wall / audio as the real-time factor', async () => {
    observeTranscription({ duration_s: 200, elapsed_s: 30 });
    observeTranscription({ duration_s: 20, elapsed_s: 5 });
    expect(await read('tf_transcribe_audio_seconds_total')).toBe(220);
    expect(await read('tf_transcribe_real_time_factor', '_count')).toBe(2);
    expect(await read('tf_transcribe_real_time_factor', '_sum')).toBeCloseTo(0.15 + 0.25, 10);
  });

  it('counts nothing for a result without audio duration (no division by zero)', async () => {
    observeTranscription({ duration_s: 0, elapsed_s: 1 });
    expect(await read('tf_transcribe_audio_seconds_total')).toBe(0);
    expect(await read('tf_transcribe_real_time_factor', '_count')).toBe(0);
  });
});
