import { EventEmitter } from 'node:events';

/**
 * For the LISTEN feeds' unit tests (PgListenConnection users): a pg client whose `SELECT 1` answers, or (a
 * silently dead peer) never does, and which delivers the notifications a test sends.
 */
export class FakeListenClient extends EventEmitter {
  answers = true;
  readonly connect = jest.fn(async () => undefined);
  readonly end = jest.fn(async () => undefined);
  readonly query = jest.fn((sql: string) =>
    sql === 'SELECT 1' && !this.answers ? new Promise<never>(() => undefined) : Promise.resolve({ rows: [] }),
  );

  notify(channel: string, payload: string): void {
    this.emit('notification', { channel, payload });
  }
}
