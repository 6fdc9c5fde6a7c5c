import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ScheduledRound } from './scheduled-round';

describe('ScheduledRound', () => {
  const logger = { warn: jest.fn() } as unknown as Logger;

  it('is a named interval of the scheduler registry (which clears it at shutdown)', () => {
    const registry = new SchedulerRegistry();
    const round = new ScheduledRound('test sweep', async () => undefined, logger);
    round.start(registry, 60_000);
    expect(registry.getIntervals()).toEqual(['test sweep']);
    registry.deleteInterval('test sweep');
  });

  it('runs one round at a time: a call while a round runs does nothing', async () => {
    let release!: () => void;
    const work = jest.fn(() => new Promise<void>((r) => (release = r)));
    const round = new ScheduledRound('slow', work, logger);
    const first = round.runOnce();
    await round.runOnce();
    expect(work).toHaveBeenCalledTimes(1);
    release();
    await first;
    void round.runOnce();
    expect(work).toHaveBeenCalledTimes(2);
    release();
  });

  it('logs a failed round and never throws; the next round runs', async () => {
    const work = jest.fn().mockRejectedValueOnce(new Error('connection lost')).mockResolvedValue(undefined);
    const round = new ScheduledRound('check', work, logger);
    await expect(round.runOnce()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith('check failed: connection lost');
    await round.runOnce();
    expect(work).toHaveBeenCalledTimes(2);
  });
});
