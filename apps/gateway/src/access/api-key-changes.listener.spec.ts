import { metricsRegistry } from '@tf/observability';
import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { FakeListenClient as FakeClient } from '../../../../libs/testing/src/fake-listen-client';
import { LIVENESS_INTERVAL_MS, LIVENESS_TIMEOUT_MS } from '../common/pg-listen-connection';
import { ApiKeyChangesListener } from './api-key-changes.listener';
import { AuthenticatedKeyCache } from './authenticated-key-cache';

class ListenerWithFakeClients extends ApiKeyChangesListener {
  readonly clients: FakeClient[] = [];
  protected override createClient(): Client {
    const client = new FakeClient();
    this.clients.push(client);
    return client as unknown as Client;
  }
}

const feedUp = async (): Promise<number | undefined> =>
  (await metricsRegistry.getSingleMetric('tf_api_key_cache_feed_up')?.get())?.values[0]?.value;

describe('ApiKeyChangesListener liveness', () => {
  let cache: AuthenticatedKeyCache;
  let listener: ListenerWithFakeClients;
  let listening: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    cache = new AuthenticatedKeyCache({ ttlMs: 60_000 });
    listening = jest.spyOn(cache, 'setListening');
    listener = new ListenerWithFakeClients({ options: { url: 'postgres://fake' } } as unknown as DataSource, cache);
  });
  afterEach(async () => {
    await listener.onModuleDestroy();
    jest.useRealTimers();
  });

  it('keeps the cache on while the connection answers its checks', async () => {
    await listener.onModuleInit();
    await jest.advanceTimersByTimeAsync(LIVENESS_INTERVAL_MS * 4);
    expect(listening.mock.calls).toEqual([[true]]);
    expect(listener.clients[0].query).toHaveBeenCalledWith('SELECT 1');
    expect(await feedUp()).toBe(1);
  });

  it('turns the cache off when a check gets no answer, and reconnects', async () => {
    await listener.onModuleInit();
    const [dead] = listener.clients;
    dead.answers = false; // no error, no end: the peer is just gone
    await jest.advanceTimersByTimeAsync(LIVENESS_INTERVAL_MS + LIVENESS_TIMEOUT_MS);
    expect(listening.mock.calls).toEqual([[true], [false]]);
    expect(await feedUp()).toBe(0);
    expect(dead.end).toHaveBeenCalled();

    await jest.advanceTimersByTimeAsync(1000);
    expect(listener.clients).toHaveLength(2);
    expect(listener.clients[1].query).toHaveBeenCalledWith(
      "SET application_name TO 'listen:tf_api_key_changes'; LISTEN tf_api_key_changes",
    );
    expect(listening.mock.calls).toEqual([[true], [false], [true]]);
    expect(await feedUp()).toBe(1);
  });

  it('never turns the cache back on for a notification without an id, even from a connection already lost', async () => {
    await listener.onModuleInit();
    const [dead] = listener.clients;
    dead.answers = false;
    await jest.advanceTimersByTimeAsync(LIVENESS_INTERVAL_MS + LIVENESS_TIMEOUT_MS);
    expect(listening.mock.calls).toEqual([[true], [false]]);
    dead.notify('tf_api_key_changes', ''); // late, from the lost connection
    expect(listening.mock.calls).toEqual([[true], [false]]);
    expect(await feedUp()).toBe(0);
  });

  it('asks pg for TCP keep-alive on the real connection', () => {
    const real = new ApiKeyChangesListener(
      { options: { url: 'postgres://u@127.0.0.1:1/db' } } as unknown as DataSource,
      cache,
    );
    const client = (real as unknown as { createClient(): Client }).createClient();
    expect((client as unknown as { connection: { _keepAlive: boolean } }).connection._keepAlive).toBe(true);
  });
});
