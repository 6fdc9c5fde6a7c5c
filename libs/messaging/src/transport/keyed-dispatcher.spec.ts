import { Delivery, KeyedDispatcher, KeyedDispatcherOptions } from './keyed-dispatcher';

/** A handler whose messages the test finishes by hand, recording start order and the shutdown signal. */
function manualHandler() {
  const pending = new Map<string, { resolve: () => void; reject: (e: unknown) => void; signal: AbortSignal }>();
  const started: string[] = [];
  const handle = (d: Delivery, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      started.push(d.offset);
      pending.set(d.offset, { resolve, reject, signal });
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { handle, started, pending, finish: (offset: string) => pending.get(offset)!.resolve() };
}

const flush = () => new Promise((r) => setImmediate(r));
const noBeat = async () => undefined;
const msg = (offset: number, key: string | null, partition = 0): Delivery => ({
  topic: 't',
  partition,
  offset: String(offset),
  key,
});

function setup(overrides: Partial<KeyedDispatcherOptions<Delivery>> = {}) {
  const h = manualHandler();
  const commits: string[] = [];
  const dispatcher = new KeyedDispatcher<Delivery>({
    maxInFlight: 4,
    handle: h.handle,
    commit: async (topic, partition, offset) => void commits.push(`${topic}:${partition}@${offset}`),
    failurePauseMs: 1,
    ...overrides,
  });
  dispatcher.assigned({ t: [0, 1] });
  return { ...h, commits, dispatcher };
}

describe('KeyedDispatcher', () => {
  it('runs a later job of the same partition while an earlier one is slow, and commits only up to the slow one', async () => {
    const { dispatcher, started, finish, commits } = setup();
    await dispatcher.dispatch(msg(10, 'slow-job'), noBeat);
    await dispatcher.dispatch(msg(11, 'quick-job'), noBeat);
    expect(started).toEqual(['10', '11']);

    finish('11');
    await flush();
    // 11 is done, but 10 is not: committing 12 would lose 10 if this instance crashed now.
    expect(commits).toEqual(['t:0@10']);

    finish('10');
    await flush();
    expect(commits).toEqual(['t:0@10', 't:0@12']);
  });

  it('keeps one key in order: its second message starts only after the first finished', async () => {
    const { dispatcher, started, finish } = setup();
    await dispatcher.dispatch(msg(1, 'job-a'), noBeat);
    await dispatcher.dispatch(msg(2, 'job-a'), noBeat);
    await dispatcher.dispatch(msg(3, 'job-b'), noBeat);
    await flush();
    expect(started).toEqual(['1', '3']);
    finish('1');
    await flush();
    expect(started).toEqual(['1', '3', '2']);
  });

  it("starts the key's next message and frees the slot once a message is handled, not once its offset is committed", async () => {
    const commitsWaiting: Array<() => void> = [];
    const { dispatcher, started, finish } = setup({
      maxInFlight: 1,
      commit: () => new Promise<void>((resolve) => commitsWaiting.push(resolve)),
    });
    await dispatcher.dispatch(msg(1, 'job-a'), noBeat);
    void dispatcher.dispatch(msg(2, 'job-a'), noBeat);
    finish('1');
    await flush();
    // The commit of 1 (a broker round trip) is still on its way: 2 already runs.
    expect(commitsWaiting).toHaveLength(1);
    expect(started).toEqual(['1', '2']);
    // In flight: 2 only (the consumer's concurrency bounds it); 1, handled, holds no slot while its commit is away.
    expect(dispatcher.inFlight).toBe(1);
    finish('2');
    await flush();
    expect(dispatcher.inFlight).toBe(0);
    // A drain still waits for the commits on their way.
    let drained = false;
    void dispatcher.drain(60_000, 10).then(() => (drained = true));
    await flush();
    expect(drained).toBe(false);
    while (commitsWaiting.length > 0) {
      commitsWaiting.shift()!();
      await flush();
    }
    await flush();
    expect(drained).toBe(true);
  });

  it('never runs more than maxInFlight messages: the next delivery waits for a free slot', async () => {
    const { dispatcher, started, finish } = setup({ maxInFlight: 2 });
    await dispatcher.dispatch(msg(1, 'a'), noBeat);
    await dispatcher.dispatch(msg(2, 'b'), noBeat);
    let third = false;
    const waiting = dispatcher.dispatch(msg(3, 'c'), noBeat).then(() => (third = true));
    await flush();
    expect(third).toBe(false);
    expect(dispatcher.inFlight).toBe(2);
    finish('2');
    await waiting;
    expect(started).toEqual(['1', '2', '3']);
  });

  it('skips a redelivery (kafkajs refetches from the committed offset after a rebalance) of a running or finished message', async () => {
    const { dispatcher, started, finish } = setup();
    await dispatcher.dispatch(msg(5, 'a'), noBeat);
    await dispatcher.dispatch(msg(6, 'b'), noBeat);
    finish('6');
    await flush();
    dispatcher.assigned({ t: [0] });
    await dispatcher.dispatch(msg(5, 'a'), noBeat);
    await dispatcher.dispatch(msg(6, 'b'), noBeat);
    await dispatcher.dispatch(msg(7, 'c'), noBeat);
    expect(started).toEqual(['5', '6', '7']);
  });

  it('makes a commit refused during a rebalance once the group is joined again', async () => {
    let refuse = true;
    const commits: string[] = [];
    const h = manualHandler();
    const dispatcher = new KeyedDispatcher<Delivery>({
      maxInFlight: 2,
      handle: h.handle,
      commit: async (_t, _p, offset) => {
        if (refuse) throw new Error('REBALANCE_IN_PROGRESS');
        commits.push(offset);
      },
    });
    dispatcher.assigned({ t: [0] });
    await dispatcher.dispatch(msg(3, 'a'), noBeat);
    h.finish('3');
    await flush();
    expect(commits).toEqual([]);
    refuse = false;
    dispatcher.assigned({ t: [0] });
    await flush();
    expect(commits).toEqual(['4']);
  });

  it('does not commit a partition this instance lost in a rebalance', async () => {
    const { dispatcher, finish, commits } = setup();
    await dispatcher.dispatch(msg(1, 'a', 1), noBeat);
    dispatcher.assigned({ t: [0] });
    finish('1');
    await flush();
    expect(commits).toEqual([]);
  });

  it('parks a message when the priority gate says so: not started, slot freed, not committed', async () => {
    const { dispatcher, started, commits } = setup({ maxInFlight: 1, park: async (d) => d.offset === '1' });
    await dispatcher.dispatch(msg(1, 'low'), noBeat);
    expect(started).toEqual([]);
    expect(dispatcher.inFlight).toBe(0);
    // The only slot is free again; the parked offset is redelivered later (the gate rewound the partition).
    await dispatcher.dispatch(msg(2, 'high-elsewhere', 1), noBeat);
    expect(started).toEqual(['2']);
    expect(commits).toEqual([]);
  });

  it('tries a message again after an unexpected failure instead of leaving its partition stuck', async () => {
    let calls = 0;
    const commits: string[] = [];
    const dispatcher = new KeyedDispatcher<Delivery>({
      maxInFlight: 1,
      failurePauseMs: 1,
      handle: async () => {
        if (++calls < 3) throw new Error('database unreachable');
      },
      commit: async (_t, _p, offset) => void commits.push(offset),
    });
    dispatcher.assigned({ t: [0] });
    await dispatcher.dispatch(msg(0, 'a'), noBeat);
    await dispatcher.drain(5_000, 0);
    expect(calls).toBe(3);
    expect(commits).toEqual(['1']);
  });

  describe('drain (shutdown)', () => {
    it('lets running messages finish within the grace period, and starts no new one', async () => {
      const { dispatcher, started, finish, commits, pending } = setup();
      await dispatcher.dispatch(msg(1, 'a'), noBeat);
      const drained = dispatcher.drain(5_000, 1_000);
      await dispatcher.dispatch(msg(2, 'b'), noBeat);
      finish('1');
      await expect(drained).resolves.toEqual({ finished: 1, handedBack: 0 });
      expect(started).toEqual(['1']);
      expect(pending.get('1')!.signal.aborted).toBe(false);
      expect(commits).toEqual(['t:0@2']);
    });

    it('aborts what is still running after the grace period and leaves it uncommitted (handed back)', async () => {
      const { dispatcher, finish, commits, pending } = setup();
      await dispatcher.dispatch(msg(1, 'slow'), noBeat);
      await dispatcher.dispatch(msg(2, 'quick'), noBeat);
      finish('2');
      await flush();
      await expect(dispatcher.drain(50, 1_000)).resolves.toEqual({ finished: 0, handedBack: 1 });
      expect(pending.get('1')!.signal.aborted).toBe(true);
      // Offset 1 was never passed: the group redelivers it to another member.
      expect(commits).toEqual(['t:0@1']);
    });

    it('does not start a message whose park check was still waiting when the drain began', async () => {
      let answerPark: (parked: boolean) => void = () => undefined;
      const { dispatcher, started } = setup({ park: () => new Promise<boolean>((r) => (answerPark = r)) });
      const dispatching = dispatcher.dispatch(msg(1, 'a'), noBeat);
      await flush();
      await expect(dispatcher.drain(10, 100)).resolves.toEqual({ finished: 0, handedBack: 0 });
      answerPark(false);
      await dispatching;
      expect(started).toEqual([]);
    });

    it('turns away deliveries waiting for a slot', async () => {
      const { dispatcher, started } = setup({ maxInFlight: 1 });
      await dispatcher.dispatch(msg(1, 'a'), noBeat);
      const waiting = dispatcher.dispatch(msg(2, 'b'), noBeat);
      const drained = dispatcher.drain(10, 100);
      await waiting;
      await drained;
      expect(started).toEqual(['1']);
    });
  });
});
