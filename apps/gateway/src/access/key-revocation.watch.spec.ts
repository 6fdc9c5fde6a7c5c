import { SchedulerRegistry } from '@nestjs/schedule';
import { KeyRevocationWatch, RevokedKeyLookup } from './key-revocation.watch';

/** A key table where `revoked` no longer authenticate; records what each round asked. */
class FakeKeys implements RevokedKeyLookup {
  readonly revoked = new Set<string>();
  readonly asked: string[][] = [];
  failNext = false;
  async revokedAmong(ids: string[]): Promise<string[]> {
    this.asked.push([...ids].sort());
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection lost');
    }
    return ids.filter((id) => this.revoked.has(id));
  }
}

describe('KeyRevocationWatch', () => {
  const setup = () => {
    const keys = new FakeKeys();
    return { keys, watch: new KeyRevocationWatch(keys, { keyRecheckMs: 60_000 }, new SchedulerRegistry()) };
  };

  it('asks about every watched key in one lookup and ends only the streams of revoked keys, once', async () => {
    const { keys, watch } = setup();
    const ended: string[] = [];
    watch.watch('k1', () => ended.push('k1-a'));
    watch.watch('k1', () => ended.push('k1-b'));
    watch.watch('k2', () => ended.push('k2'));
    await watch.check();
    expect(ended).toEqual([]);
    keys.revoked.add('k1');
    await watch.check();
    expect(keys.asked).toEqual([
      ['k1', 'k2'],
      ['k1', 'k2'],
    ]);
    expect(ended.sort()).toEqual(['k1-a', 'k1-b']);
    await watch.check();
    expect(ended).toHaveLength(2);
    expect(keys.asked.at(-1)).toEqual(['k2']);
  });

  it('stops watching what was unwatched, and asks nothing when nothing is watched', async () => {
    const { keys, watch } = setup();
    const onRevoked = jest.fn();
    const unwatch = watch.watch('k1', onRevoked);
    unwatch();
    expect(watch.watchedKeys).toBe(0);
    keys.revoked.add('k1');
    await watch.check();
    expect(keys.asked).toEqual([]);
    expect(onRevoked).not.toHaveBeenCalled();
  });

  it('ends nothing when the lookup fails, and tries again on the next round', async () => {
    const { keys, watch } = setup();
    const onRevoked = jest.fn();
    watch.watch('k1', onRevoked);
    keys.revoked.add('k1');
    keys.failNext = true;
    await watch.check();
    expect(onRevoked).not.toHaveBeenCalled();
    await watch.check();
    expect(onRevoked).toHaveBeenCalledTimes(1);
  });
});
