/** A counting semaphore with a FIFO queue: at most `size` holders; `close()` turns every waiter away. */
export class Slots {
  private used = 0;
  private closed = false;
  private readonly waiters: Array<(granted: boolean) => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`slot count must be a positive integer, got ${size}`);
  }

  /** Resolves true once a slot is held, false when the slots were closed meanwhile. */
  acquire(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    // The slot passes straight to the next waiter; otherwise it is free again.
    if (next) next(true);
    else this.used--;
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(false);
  }

  get inUse(): number {
    return this.used;
  }
}
