import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * A round of work repeated on this replica every `intervalMs`, as a named interval of @nestjs/schedule's
 * SchedulerRegistry (ScheduleModule clears it at shutdown; the registry lists it). The interval comes
 * from the configuration, so it is added at start-up rather than declared with `@Interval`. One round at
 * a time: a tick while a slow round still runs is skipped; a failed round is logged and the next tick
 * tries again. The timer does not keep the process alive.
 */
export class ScheduledRound {
  private running = false;

  constructor(
    readonly name: string,
    private readonly work: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(registry: SchedulerRegistry, intervalMs: number): void {
    const timer = setInterval(() => void this.runOnce(), intervalMs);
    timer.unref();
    registry.addInterval(this.name, timer);
  }

  /** One round now (unless one is already running); never throws. */
  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.work();
    } catch (error) {
      this.logger.warn(`${this.name} failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
