/** The little of the Web Storage API the store needs (localStorage in the page, a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What identifies a file the person picks again after a reload (a File's name, size and mtime). */
export interface FileFingerprint {
  name: string;
  size: number;
  lastModified: number;
}

/** An upload under way, as the browser remembers it across reloads. */
export interface RememberedUpload {
  upload_id: string;
  file: FileFingerprint;
  /** The upload's expires_at: after it the gateway has dropped the bytes, so the entry is dropped too. */
  expires_at: string;
  /** Parts planned (null: one PUT). */
  part_count: number | null;
  /** part_number → ETag of each part storage confirmed to this browser. */
  parts: Record<string, string>;
}

export const RESUME_STORAGE_KEY = 'tf.uploads';

export const sameFile = (a: FileFingerprint, b: FileFingerprint): boolean =>
  a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;

/** An entry as stored: whose it is (the signed-in key's id), so that another key never sees it. */
type StoredUpload = RememberedUpload & { owner: string };

const isStored = (v: unknown): v is StoredUpload => {
  const r = v as StoredUpload;
  return (
    typeof r?.upload_id === 'string' &&
    typeof r.owner === 'string' &&
    typeof r.file?.name === 'string' &&
    typeof r.file.size === 'number' &&
    typeof r.file.lastModified === 'number' &&
    typeof r.expires_at === 'string' &&
    typeof r.parts === 'object' &&
    r.parts !== null
  );
};

/**
 * The uploads this browser started and has not finished, kept in localStorage (it outlives a reload
 * and the tab) so that a reload resumes them: the page finds the entry of a file picked again and
 * sends only what storage is missing. Entries past their upload's expiry, or unreadable, are dropped.
 * Each entry belongs to the key that started it (`owner`, the session's key id): a store lists and
 * changes only its owner's, so a key signed in later on the same browser never sees earlier file
 * names or upload ids (entries without an owner, from before, are dropped).
 */
export class ResumeStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly owner: string,
    private readonly now: () => number = Date.now,
  ) {}

  list(): RememberedUpload[] {
    return this.all()
      .filter((u) => u.owner === this.owner)
      .map(({ owner: _owner, ...upload }) => upload);
  }

  findFor(file: FileFingerprint): RememberedUpload | undefined {
    return this.list().find((u) => sameFile(u.file, file));
  }

  /** Starts remembering an upload (replacing any older entry for the same file). */
  remember(upload: RememberedUpload): void {
    this.write([...this.list().filter((u) => !sameFile(u.file, upload.file)), upload]);
  }

  recordPart(uploadId: string, partNumber: number, etag: string): void {
    this.write(
      this.list().map((u) =>
        u.upload_id === uploadId ? { ...u, parts: { ...u.parts, [String(partNumber)]: etag } } : u,
      ),
    );
  }

  forget(uploadId: string): void {
    this.write(this.list().filter((u) => u.upload_id !== uploadId));
  }

  /** Every owner's live entries (expired or unreadable ones are dropped from storage on the way). */
  private all(): StoredUpload[] {
    let raw: unknown;
    try {
      raw = JSON.parse(this.storage.getItem(RESUME_STORAGE_KEY) ?? '[]');
    } catch {
      raw = [];
    }
    const valid = Array.isArray(raw) ? raw.filter(isStored) : [];
    const live = valid.filter((u) => Date.parse(u.expires_at) > this.now());
    if (!Array.isArray(raw) || live.length !== raw.length) this.store(live);
    return live;
  }

  /** Replaces this owner's entries, keeping the others'. */
  private write(mine: RememberedUpload[]): void {
    this.store([
      ...this.all().filter((u) => u.owner !== this.owner),
      ...mine.map((u) => ({ ...u, owner: this.owner })),
    ]);
  }

  private store(uploads: StoredUpload[]): void {
    if (uploads.length) this.storage.setItem(RESUME_STORAGE_KEY, JSON.stringify(uploads));
    else this.storage.removeItem(RESUME_STORAGE_KEY);
  }
}
