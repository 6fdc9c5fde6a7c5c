/**
 * Listeners grouped by a key (a job id, an API key id), for the in-process fan-outs of one replica.
 * `add` returns the function that removes the listener; a key without listeners is dropped.
 */
export class KeyedListeners<T> {
  private readonly byKey = new Map<string, Set<T>>();

  add(key: string, listener: T): () => void {
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
    };
  }

  /** A copy of the key's listeners: a listener may remove itself while the caller iterates. */
  of(key: string): T[] {
    return [...(this.byKey.get(key) ?? [])];
  }

  /** Removes the key with its listeners and returns them. */
  take(key: string): T[] {
    const listeners = this.of(key);
    this.byKey.delete(key);
    return listeners;
  }

  all(): T[] {
    return [...this.byKey.values()].flatMap((set) => [...set]);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  get keyCount(): number {
    return this.byKey.size;
  }
}
