import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as avro from 'avsc';
import { EventsByType, EventType, Topics, loadAvroSchema, newEnvelope, subjectFor } from './index';

const types = Object.keys(Topics) as EventType[];

describe('contracts', () => {
  it.each(types)('%s.avsc parses, is namespaced, documents every field and carries the envelope', (type) => {
    const schema = loadAvroSchema(type) as {
      name: string;
      namespace: string;
      fields: Array<{ name: string; doc?: string }>;
    };
    expect(schema.name).toBe(type);
    expect(schema.namespace).toBe('io.transcodeflow.events');
    expect(() => avro.Type.forSchema(schema as avro.Schema)).not.toThrow();
    expect(schema.fields.slice(0, 4).map((f) => f.name)).toEqual(['event_id', 'job_id', 'occurred_at', 'attempt']);
    for (const f of schema.fields) expect(f.doc?.length).toBeGreaterThan(3);
  });

  it('generated TypeScript types match schemas/ (no drift)', () => {
    const script = join(__dirname, '../../../scripts/gen-contracts.mjs');
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('round-trips a typed event through its Avro schema', () => {
    const event: EventsByType['JobProgress'] = {
      ...newEnvelope('job-1'),
      stage: 'transcode',
      percent: 42.5,
      message: null,
      next_attempt_at: null,
    };
    const type = avro.Type.forSchema(loadAvroSchema('JobProgress') as avro.Schema);
    expect(type.fromBuffer(type.toBuffer(event))).toEqual(event);
  });

  it('names subjects after topics', () => {
    expect(subjectFor(Topics.VideoUploaded)).toBe('tf.video.uploaded-value');
  });
});
