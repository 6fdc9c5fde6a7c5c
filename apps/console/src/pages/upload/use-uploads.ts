import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSession } from '../../session/session';
import { ResumeStore, type RememberedUpload } from './transfer/resume-store';
import { transferFile, type TransferProgress, type UploadFields } from './transfer/direct-upload-transfer';
import { sendPutWithXhr } from './transfer/xhr-put';
import { unfinishedUploads } from './unfinished-uploads';
import { uploadApi } from './upload-api';

type UploadState = 'queued' | 'sending' | 'completing' | 'done' | 'failed' | 'cancelled';

/** One file the person dropped or chose, and how its upload goes. */
export interface UploadItem {
  key: string;
  file: File;
  state: UploadState;
  progress: TransferProgress | null;
  uploadId: string | null;
  /** Parts (or the whole file) storage already held from an earlier page: not sent again. */
  resumedParts: number;
  jobId: string | null;
  error: unknown;
}

/** Files sent at once; each sends a few parts at once (PARTS_IN_FLIGHT). */
const FILES_AT_ONCE = 2;
const PARTS_IN_FLIGHT = 4;

let nextKey = 0;

/** Why a transfer stops when the page goes away: not a cancel, the upload stays resumable. */
const LEFT_PAGE = new Error('Left the upload page');

/**
 * The page's uploads: a queue of files, each sent through the direct upload with its own progress,
 * cancellable; and the unfinished uploads an earlier page left (resumed when the same file is picked).
 */
export function useUploads() {
  // Remembered uploads are the signed-in key's own: another key on this browser never sees them.
  const { key_id: owner } = useSession();
  const store = useMemo(() => new ResumeStore(window.localStorage, owner), [owner]);
  const [items, setItems] = useState<UploadItem[]>([]);
  const [remembered, setRemembered] = useState<RememberedUpload[]>(() => store.list());
  const queue = useRef<Array<{ key: string; file: File; fields: UploadFields }>>([]);
  const running = useRef(new Map<string, AbortController>());

  // Leaving the page stops its transfers (no XHR keeps running unseen, and back on /upload the upload
  // is offered once, to resume): the parts sent so far stay remembered.
  useEffect(() => {
    const transfers = running.current;
    const waiting = queue.current;
    return () => {
      waiting.length = 0;
      for (const stop of transfers.values()) stop.abort(LEFT_PAGE);
    };
  }, []);

  const update = useCallback((key: string, change: Partial<UploadItem>) => {
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i)));
  }, []);
  const refreshRemembered = useCallback(() => setRemembered(store.list()), [store]);

  const pump = useCallback(() => {
    while (running.current.size < FILES_AT_ONCE && queue.current.length) {
      const { key, file, fields } = queue.current.shift()!;
      const stop = new AbortController();
      running.current.set(key, stop);
      let uploadId: string | null = null;
      let resumedParts: number | null = null;
      transferFile(file, fields, {
        api: uploadApi,
        send: sendPutWithXhr,
        store,
        concurrency: PARTS_IN_FLIGHT,
        signal: stop.signal,
        onProgress: (progress) => {
          if (progress.upload_id && !uploadId) {
            uploadId = progress.upload_id;
            refreshRemembered();
          }
          // The first report of the sending phase comes before any part is sent: what storage held already.
          if (progress.phase === 'sending' && resumedParts === null) resumedParts = progress.parts_done;
          update(key, {
            progress,
            uploadId,
            resumedParts: resumedParts ?? 0,
            state: progress.phase === 'completing' || progress.phase === 'done' ? 'completing' : 'sending',
          });
        },
      })
        .then(
          (result) => update(key, { state: 'done', jobId: result.job_id, uploadId: result.upload_id }),
          async (error: unknown) => {
            if (!stop.signal.aborted) return update(key, { state: 'failed', error });
            if (stop.signal.reason === LEFT_PAGE) return; // resumable: remembered as it is
            // Cancelled by the person: storage drops what it got, the browser forgets the upload.
            if (uploadId) {
              await uploadApi.abort(uploadId).catch(() => undefined);
              store.forget(uploadId);
            }
            update(key, { state: 'cancelled' });
          },
        )
        .finally(() => {
          running.current.delete(key);
          refreshRemembered();
          pump();
        });
    }
  }, [refreshRemembered, store, update]);

  const add = useCallback(
    (files: File[], fields: UploadFields) => {
      const added = files.map((file) => ({ key: `u${++nextKey}`, file, fields }));
      setItems((all) => [
        ...all,
        ...added.map(({ key, file }): UploadItem => ({
          key,
          file,
          state: 'queued',
          progress: null,
          uploadId: null,
          resumedParts: 0,
          jobId: null,
          error: null,
        })),
      ]);
      queue.current.push(...added);
      pump();
    },
    [pump],
  );

  const cancel = useCallback(
    (key: string) => {
      const queued = queue.current.findIndex((q) => q.key === key);
      if (queued >= 0) {
        queue.current.splice(queued, 1);
        update(key, { state: 'cancelled' });
      }
      running.current.get(key)?.abort(new Error('Cancelled'));
    },
    [update],
  );

  /** Drops an unfinished upload of an earlier page: storage deletes its parts. */
  const discard = useCallback(
    async (uploadId: string) => {
      await uploadApi.abort(uploadId).catch(() => undefined);
      store.forget(uploadId);
      refreshRemembered();
    },
    [refreshRemembered, store],
  );

  // Unfinished uploads not being resumed on this page right now.
  const unfinished = unfinishedUploads(remembered, items);
  return { items, add, cancel, unfinished, discard };
}
