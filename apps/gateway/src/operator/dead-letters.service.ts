import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { PIPELINE_CONSUMER_GROUPS } from '@tf/contracts';
import { DeadLetter, DeadLetterQueue } from '@tf/messaging';
import { JobControlService } from '../control/job-control.service';
import { ApiError } from '../http/api-error';
import { JobsRepository } from '../jobs/jobs.repository';
import { DeadLetterQueues } from './dead-letter-queues';
import {
  CONSUMER_GROUP_ID,
  DEFAULT_DEAD_LETTER_LIMIT,
  DecodedEnvelope,
  MAX_REPLAY,
  eventTypeOf,
  pipelineFirst,
  replayRouteFor,
} from './dead-letter-replay';
import {
  DeadLetterDto,
  DeadLetterListDto,
  DeadLetterListQueryDto,
  ReplayResultDto,
  ReplaySkippedDto,
  ReplayedDeadLetterDto,
} from './dto/dead-letters.dto';
import { operatorMetrics } from './operator-metrics';

const queueNotFound = (group: string): ApiError =>
  ApiError.notFound('DEAD_LETTER_QUEUE_NOT_FOUND', `No dead-letter topic for consumer group ${group}`);

/**
 * The dead letters of every consumer group: inspect them (with their job's status now) and replay
 * them through the normal path, exactly once (replayRouteFor says how).
 */
@Injectable()
export class DeadLettersService {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(
    private readonly queues: DeadLetterQueues,
    private readonly jobs: JobsRepository,
    private readonly control: JobControlService,
  ) {}

  async list(query: DeadLetterListQueryDto): Promise<DeadLetterListDto> {
    const queues = await this.queuesOf(query.group);
    const found: DeadLetter[] = [];
    for (const queue of queues.filter((q) => q.depth > 0))
      found.push(
        ...(await this.queues.read(queue.group, {
          limit: query.limit ?? DEFAULT_DEAD_LETTER_LIMIT,
          key: query.job_id,
        })),
      );
    const envelopes = await Promise.all(found.map((d) => this.queues.envelopeOf(d)));
    const statuses = await this.jobStatuses(found.map((d, i) => envelopes[i]?.job_id ?? d.key));
    return {
      queues: queues.map(({ group, topic, depth }) => ({ group, topic, depth })),
      dead_letters: found.map((d, i) => viewOf(d, envelopes[i], statuses)),
    };
  }

  async replay(group: string, jobId?: string): Promise<ReplayResultDto> {
    const [queue] = await this.queuesOf(group);
    const found = queue.depth === 0 ? [] : await this.queues.read(group, { limit: MAX_REPLAY, key: jobId });
    const result: ReplayResultDto = { group, matched: found.length, replayed: [], skipped: [] };
    for (const deadLetter of found) {
      const outcome = await this.replayOne(deadLetter);
      if ('code' in outcome) result.skipped.push(outcome);
      else result.replayed.push(outcome);
      operatorMetrics.replayed(group, 'code' in outcome ? 'skipped' : outcome.action);
    }
    this.logger.log(
      `dead letters of ${group}${jobId ? ` (job ${jobId})` : ''} replayed: ${result.replayed.length} of ${result.matched}, ${result.skipped.length} skipped`,
    );
    return result;
  }

  /** One dead letter back through the normal path (replayRouteFor), or why not. */
  private async replayOne(deadLetter: DeadLetter): Promise<ReplayedDeadLetterDto | ReplaySkippedDto> {
    const { partition, offset } = deadLetter;
    const route = replayRouteFor(deadLetter, await this.queues.envelopeOf(deadLetter), PIPELINE_CONSUMER_GROUPS);
    const { jobId } = route;
    if (route.action === 'skip') return { partition, offset, job_id: jobId, code: route.code, message: route.message };
    if (route.action === 'redelivered') {
      await this.queues.redeliver(deadLetter);
      return { partition, offset, job_id: route.jobId, action: route.action, restarted_stages: [] };
    }
    try {
      const retried = await this.control.retry(route.jobId, null, route.failedAt);
      return {
        partition,
        offset,
        job_id: route.jobId,
        action: route.action,
        restarted_stages: retried.restarted_stages,
      };
    } catch (error) {
      // The job moved on (or cannot restart): said, not thrown, so the other dead letters still go.
      if (!(error instanceof ApiError)) throw error;
      const { message } = error.getResponse() as { message: string };
      return { partition, offset, job_id: route.jobId, code: error.code, message };
    }
  }

  /** The dead-letter topics (only `group`'s when given: 400 INVALID_GROUP, 404 DEAD_LETTER_QUEUE_NOT_FOUND). */
  private async queuesOf(group: string | undefined): Promise<DeadLetterQueue[]> {
    if (group === undefined) return pipelineFirst(await this.queues.list(), PIPELINE_CONSUMER_GROUPS);
    if (!CONSUMER_GROUP_ID.test(group))
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'INVALID_GROUP',
        'group must be a consumer group id such as tf-transcoder',
      );
    const queue = (await this.queues.list()).find((q) => q.group === group);
    if (!queue) throw queueNotFound(group);
    return [queue];
  }

  private async jobStatuses(ids: Array<string | null>): Promise<Map<string, string>> {
    const statuses = new Map<string, string>();
    for (const id of new Set(ids.filter((i): i is string => i !== null && isUuid(i)))) {
      const job = await this.jobs.findById(id);
      if (job) statuses.set(id, job.status);
    }
    return statuses;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (id: string): boolean => UUID.test(id);

function viewOf(d: DeadLetter, envelope: DecodedEnvelope | null, statuses: ReadonlyMap<string, string>): DeadLetterDto {
  const jobId = envelope?.job_id ?? d.key;
  const { record } = d;
  return {
    group: record.consumerGroup,
    partition: d.partition,
    offset: d.offset,
    job_id: jobId,
    event_type: eventTypeOf(record.originalTopic),
    event_id: envelope?.event_id ?? null,
    original_topic: record.originalTopic,
    error_code: record.errorCode,
    error: record.error,
    attempts: record.attempts,
    failed_at: record.failedAt,
    job_status: (jobId && statuses.get(jobId)) ?? null,
  };
}
