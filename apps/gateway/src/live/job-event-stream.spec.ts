import { JobRecord } from '../jobs/job-record';
import { JobViewDto } from '../jobs/dto/job.dto';
import { JobEventStream, JobSnapshot } from './job-event-stream';
import { JobNotification } from './job-notification';
import { SseWriter } from './sse-writer';

/** Records what the stream writes instead of answering HTTP. */
class FakeSse {
  readonly frames: Array<{ name: string; data: unknown; id?: number }> = [];
  closed = false;
  open() {}
  event(name: string, data: unknown, id?: number) {
    if (!this.closed) this.frames.push({ name, data, id });
  }
  comment() {}
  end() {
    this.closed = true;
  }
}

const snapshot = (version: number, status: JobRecord['status'] = 'processing'): JobSnapshot => ({
  job: { version, status } as JobRecord,
  view: { job_id: 'j', status } as JobViewDto,
});

const note = (version: number, type: JobNotification['type'] = 'progress', percent = 10): JobNotification => ({
  job_id: 'j',
  version,
  type,
  status: type === 'completed' ? 'completed' : 'processing',
  stage: 'transcode',
  stage_status: 'running',
  percent,
  detail: null,
  error: null,
});

const settle = () => new Promise((r) => setImmediate(r));

describe('JobEventStream', () => {
  it('sends the state first, then what arrived meanwhile and later, dropping what the snapshot already shows', async () => {
    const sse = new FakeSse();
    const stream = new JobEventStream(sse as unknown as SseWriter, async () => snapshot(9, 'completed'), 60_000);
    stream.onNotification(note(4)); // older than the snapshot
    stream.onNotification(note(6, 'progress', 50)); // committed after the snapshot was read
    stream.start(snapshot(5), () => undefined);
    stream.onNotification(note(7, 'progress', 70));
    await settle();
    expect(sse.frames.map((f) => `${f.name}@${f.id}`)).toEqual(['state@5', 'progress@6', 'progress@7']);
    stream.close();
  });

  it('ends after a terminal notification, sending it with the final view, and calls onEnd once', async () => {
    const sse = new FakeSse();
    const onEnd = jest.fn();
    const stream = new JobEventStream(sse as unknown as SseWriter, async () => snapshot(8, 'completed'), 60_000);
    stream.start(snapshot(5), onEnd);
    stream.onNotification(note(6, 'stage'));
    stream.onNotification(note(6, 'completed')); // same transaction, same version
    stream.onNotification(note(7));
    await settle();
    expect(sse.frames.map((f) => f.name)).toEqual(['state', 'stage', 'completed']);
    expect(sse.frames[2].data).toMatchObject({ type: 'completed', job: { status: 'completed' } });
    expect(sse.closed).toBe(true);
    stream.close();
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('closes at once when the snapshot is already terminal', () => {
    const sse = new FakeSse();
    const onEnd = jest.fn();
    new JobEventStream(sse as unknown as SseWriter, async () => snapshot(3, 'failed'), 60_000).start(
      snapshot(3, 'failed'),
      onEnd,
    );
    expect(sse.frames.map((f) => f.name)).toEqual(['state']);
    expect(sse.closed).toBe(true);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('resends the state on resync and then drops notifications it covers', async () => {
    const sse = new FakeSse();
    const stream = new JobEventStream(sse as unknown as SseWriter, async () => snapshot(10), 60_000);
    stream.start(snapshot(5), () => undefined);
    stream.onResync();
    stream.onNotification(note(9));
    stream.onNotification(note(11));
    await settle();
    expect(sse.frames.map((f) => `${f.name}@${f.id}`)).toEqual(['state@5', 'state@10', 'progress@11']);
    stream.close();
  });

  it('ends with an error event KEY_REVOKED when its key is revoked, after what was already on its way', async () => {
    const sse = new FakeSse();
    const onEnd = jest.fn();
    const stream = new JobEventStream(sse as unknown as SseWriter, async () => snapshot(8), 60_000);
    stream.start(snapshot(5), onEnd);
    stream.onNotification(note(6, 'progress', 40));
    stream.endForRevokedKey();
    stream.onNotification(note(7, 'progress', 80));
    await settle();
    expect(sse.frames.map((f) => `${f.name}@${f.id}`)).toEqual(['state@5', 'progress@6', 'error@6']);
    expect(sse.frames[2].data).toEqual({
      type: 'error',
      job_id: 'j',
      status: 'processing',
      version: 6,
      error: { code: 'KEY_REVOKED', message: 'The API key of this stream was revoked' },
    });
    expect(sse.closed).toBe(true);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });
});
