// The part of autocannon's API bench/api.bench.ts uses (the package ships no types).
declare module 'autocannon' {
  import { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      /** Requests per second over all connections (a fixed rate instead of as fast as possible). */
      overallRate?: number;
      amount?: number;
      method?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }
    interface Result {
      duration: number;
      requests: { total: number; average: number };
      non2xx: number;
      errors: number;
      timeouts: number;
    }
    type Instance = EventEmitter;
  }
  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
