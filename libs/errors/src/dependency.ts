/** The infrastructure a failed call went to, when the caller knows it (a raw errno does not say). */
export type Dependency = 'storage' | 'database' | 'broker';

const DEPENDENCY = Symbol.for('tf.errors.dependency');

/** Marks `error` as a failure of `dependency` (first mark wins) and returns it, for `throw attributeTo(e, 'storage')`. */
export function attributeTo<E>(error: E, dependency: Dependency): E {
  if (error !== null && typeof error === 'object' && !(DEPENDENCY in error)) {
    Object.defineProperty(error, DEPENDENCY, { value: dependency, enumerable: false });
  }
  return error;
}

export const dependencyOf = (error: unknown): Dependency | undefined =>
  error !== null && typeof error === 'object'
    ? ((error as Record<symbol, Dependency | undefined>)[DEPENDENCY] ?? undefined)
    : undefined;

/**
 * Wraps an SDK client so every failure of its methods (thrown or rejected) is attributed to `dependency`:
 * the repository that owns the client then needs no try/catch per call for errors to say where they came from.
 */
export function attributeFailures<T extends object>(client: T, dependency: Dependency): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return function (this: unknown, ...args: unknown[]) {
        try {
          const result: unknown = value.apply(this === receiver ? target : this, args);
          return result instanceof Promise
            ? result.catch((e: unknown) => Promise.reject(attributeTo(e, dependency)))
            : result;
        } catch (e) {
          throw attributeTo(e, dependency);
        }
      };
    },
  });
}
