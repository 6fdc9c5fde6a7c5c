// Unit-test doubles of a stage handler's boundaries (the Kafka message context, the job cancellations), for
// the handlers of the stage apps. Uses jest's mocks: import it from spec files only (not from the index,
// which scripts/demo.ts loads).
import type { KafkaAvroContext } from '@tf/messaging';
import {
  CancellableRuns,
  StageTiming,
  type JobCancellations,
  type JobProgressReporter,
  type RunOutcome,
  type StageOptions,
} from '@tf/stage';

/**
 * A message context whose event is new and whose processOnce applies the work in transaction 'tx' with an
 * outbox whose `append` is recorded (and answers true: applied).
 */
export function fakeMessageContext(attempt = 1) {
  const append = jest.fn().mockResolvedValue(undefined);
  const ctx = {
    alreadyProcessed: jest.fn().mockResolvedValue(false),
    processOnce: jest.fn(async (apply: (tx: unknown, outbox: unknown) => Promise<void>) => {
      await apply('tx', { append });
      return true;
    }),
    meta: { attempt },
  };
  return { ctx, append, context: ctx as unknown as KafkaAvroContext };
}

/**
 * CancellableRuns as the stage runs them, over a JobCancellations whose run does the work and then reports a
 * cancel seen during it when `cancelledDuringRun()` says so; `cancelled` stands for JobCancellations.cancelled.
 */
export function cancellableRuns(
  stage: StageOptions['stage'],
  cancelledDuringRun: () => boolean,
  cancelled?: jest.Mock,
): CancellableRuns {
  const cancellations = {
    run: async (_jobId: string, work: (signal: AbortSignal) => Promise<unknown>): Promise<RunOutcome<unknown>> => {
      const value = await work(new AbortController().signal);
      return cancelledDuringRun() ? { cancelled: true } : { cancelled: false, value };
    },
    cancelled,
  };
  return new CancellableRuns(cancellations as unknown as JobCancellations, new StageTiming({ stage }), {
    started: jest.fn().mockResolvedValue(undefined),
  } as unknown as JobProgressReporter);
}
