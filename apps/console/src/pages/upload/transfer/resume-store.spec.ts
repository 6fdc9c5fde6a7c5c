import { KeyValueStorage, RESUME_STORAGE_KEY, RememberedUpload, ResumeStore } from './resume-store';

class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

const NOW = Date.parse('2026-12-05T20:00:00Z');
const entry = (id: string, name: string, expires = '2026-12-06T20:00:00Z'): RememberedUpload => ({
  upload_id: id,
  file: { name, size: 100, lastModified: 1 },
  expires_at: expires,
  part_count: 3,
  parts: {},
});

describe('ResumeStore', () => {
  it('remembers an upload, finds it by the file (name, size, mtime) and records its parts until forgotten', () => {
    const storage = new MemoryStorage();
    const store = new ResumeStore(storage, 'key-a', () => NOW);
    store.remember(entry('u1', 'a.mp4'));
    store.recordPart('u1', 2, '"e2"');
    store.recordPart('u1', 1, '"e1"');
    // A new store over the same storage: what a reloaded page sees.
    const reloaded = new ResumeStore(storage, 'key-a', () => NOW);
    expect(reloaded.findFor({ name: 'a.mp4', size: 100, lastModified: 1 })).toMatchObject({
      upload_id: 'u1',
      parts: { '1': '"e1"', '2': '"e2"' },
    });
    expect(reloaded.findFor({ name: 'a.mp4', size: 101, lastModified: 1 })).toBeUndefined();
    expect(reloaded.findFor({ name: 'a.mp4', size: 100, lastModified: 2 })).toBeUndefined();
    reloaded.forget('u1');
    expect(reloaded.list()).toEqual([]);
    expect(storage.items.has(RESUME_STORAGE_KEY)).toBe(false);
  });

  it('keeps one entry per file: a new upload of the same file replaces the old one', () => {
    const store = new ResumeStore(new MemoryStorage(), 'key-a', () => NOW);
    store.remember(entry('u1', 'a.mp4'));
    store.remember(entry('u2', 'b.mp4'));
    store.remember(entry('u3', 'a.mp4'));
    expect(store.list().map((u) => u.upload_id)).toEqual(['u2', 'u3']);
  });

  it('drops entries whose upload has expired, and survives unreadable storage', () => {
    const storage = new MemoryStorage();
    const store = new ResumeStore(storage, 'key-a', () => NOW);
    store.remember(entry('old', 'a.mp4', '2026-12-05T19:59:59Z'));
    store.remember(entry('live', 'b.mp4'));
    expect(store.list().map((u) => u.upload_id)).toEqual(['live']);
    expect(JSON.parse(storage.getItem(RESUME_STORAGE_KEY)!)).toHaveLength(1);
    storage.setItem(RESUME_STORAGE_KEY, '{not json');
    expect(store.list()).toEqual([]);
    storage.setItem(
      RESUME_STORAGE_KEY,
      JSON.stringify([{ upload_id: 7 }, { ...entry('ok', 'c.mp4'), owner: 'key-a' }]),
    );
    expect(store.list().map((u) => u.upload_id)).toEqual(['ok']);
  });

  it("lists and changes only the signed-in key's uploads: another key never sees their file names or ids", () => {
    const storage = new MemoryStorage();
    const a = new ResumeStore(storage, 'key-a', () => NOW);
    const b = new ResumeStore(storage, 'key-b', () => NOW);
    a.remember(entry('ua', 'secret-board-meeting.mp4'));
    expect(b.list()).toEqual([]);
    expect(b.findFor({ name: 'secret-board-meeting.mp4', size: 100, lastModified: 1 })).toBeUndefined();
    b.remember(entry('ub', 'b.mp4'));
    b.forget('ua'); // not b's: a keeps it
    expect(a.list().map((u) => u.upload_id)).toEqual(['ua']);
    expect(b.list().map((u) => u.upload_id)).toEqual(['ub']);
  });

  it('drops entries stored without an owner (from before entries had one)', () => {
    const storage = new MemoryStorage();
    storage.setItem(RESUME_STORAGE_KEY, JSON.stringify([entry('legacy', 'a.mp4')]));
    expect(new ResumeStore(storage, 'key-a', () => NOW).list()).toEqual([]);
  });
});
