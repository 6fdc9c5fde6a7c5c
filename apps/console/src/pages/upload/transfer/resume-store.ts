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

const isRemembered = (v: unknown): v is RememberedUpload => {
  const r = v as RememberedUpload;
  return (
    typeof r?.upload_id === 'string' &&
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
 */
export class ResumeStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly now: () => number = Date.now,
  ) {}

  list(): RememberedUpload[] {
    let raw: unknown;
    try {
      raw = JSON.parse(this.storage.getItem(RESUME_STORAGE_KEY) ?? '[]');
    } catch {
      raw = [];
    }
    const all = Array.isArray(raw) ? raw.filter(isRemembered) : [];
    const live = all.filter((u) => Date.parse(u.expires_at) > this.now());
    if (!Array.isArray(raw) || live.length !== raw.length) this.write(live);
    return live;
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

  private write(uploads: RememberedUpload[]): void {
    if (uploads.length) this.storage.setItem(RESUME_STORAGE_KEY, JSON.stringify(uploads));
    else this.storage.removeItem(RESUME_STORAGE_KEY);
  }
}
