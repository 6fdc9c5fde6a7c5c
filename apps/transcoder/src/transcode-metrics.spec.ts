import { metricsRegistry } from '@tf/observability';
import type { MetricValueWithName } from 'prom-client';
import { BELOW_LADDER, observeEncode, renditionLabel } from './transcode-metrics';

/** count and sum of one histogram for one rendition label. */
async function observed(name: string, rendition: string) {
  const { values } = (await metricsRegistry.getSingleMetric(name)!.get()) as { values: MetricValueWithName<string>[] };
  const find = (suffix: string) =>
    values.find((v) => v.metricName === `${name}${suffix}` && v.labels.rendition === rendition)?.value ?? 0;
  return { count: find('_count'), sum: find('_sum') };
}

describe('transcode metrics', () => {
  beforeEach(() => metricsRegistry.resetMetrics());

  it('gives every rendition of the pass the pass time, and its speed (media s / wall s)', async () => {
    observeEncode(['360p', '720p'], 20, 8);
    for (const rendition of ['360p', '720p']) {
      expect(await observed('tf_transcode_rendition_duration_seconds', rendition)).toEqual({ count: 1, sum: 8 });
      expect(await observed('tf_transcode_speed_ratio', rendition)).toEqual({ count: 1, sum: 2.5 });
    }
    expect(await observed('tf_transcode_rendition_duration_seconds', '1080p')).toEqual({ count: 0, sum: 0 });
  });

  it('keeps the label set bounded: a rendition below the ladder (labelled after its own size) is below_ladder', async () => {
    expect(['360p', '2160p', '240p', '97p'].map(renditionLabel)).toEqual(['360p', '2160p', BELOW_LADDER, BELOW_LADDER]);
    observeEncode(['240p'], 3, 1.5);
    expect(await observed('tf_transcode_speed_ratio', BELOW_LADDER)).toEqual({ count: 1, sum: 2 });
    expect(await observed('tf_transcode_speed_ratio', '240p')).toEqual({ count: 0, sum: 0 });
  });

  it('observes no speed without a media duration, and nothing for a pass that took no time', async () => {
    observeEncode(['360p'], 0, 2);
    observeEncode(['720p'], 10, 0);
    expect(await observed('tf_transcode_rendition_duration_seconds', '360p')).toEqual({ count: 1, sum: 2 });
    expect(await observed('tf_transcode_speed_ratio', '360p')).toEqual({ count: 0, sum: 0 });
    expect(await observed('tf_transcode_rendition_duration_seconds', '720p')).toEqual({ count: 0, sum: 0 });
  });
});
