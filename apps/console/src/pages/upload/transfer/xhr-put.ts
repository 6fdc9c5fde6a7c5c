import { PutFailed, type SendPut } from './direct-upload-transfer';

/** S3's error code from its XML answer (<Code>…</Code>): the URL and its signature stay out of messages. */
const s3Code = (body: string): string | null => /<Code>([^<]{1,64})<\/Code>/.exec(body)?.[1] ?? null;

/**
 * One PUT to storage with XMLHttpRequest: fetch() reports no upload progress, XHR does (per part, for
 * the progress bar). Resolves with the ETag storage answered (the bucket's CORS rules expose it).
 */
export const sendPutWithXhr: SendPut = (request) =>
  new Promise((resolve, reject) => {
    if (request.signal.aborted) return reject(request.signal.reason);
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => request.onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve({ etag: xhr.getResponseHeader('ETag') });
      const code = s3Code(xhr.responseText ?? '');
      reject(new PutFailed(xhr.status, `storage answered ${xhr.status}${code ? ` ${code}` : ''}`));
    };
    xhr.onerror = () => reject(new PutFailed(0, 'the connection to storage failed'));
    xhr.onabort = () => reject(request.signal.reason ?? new PutFailed(0, 'cancelled'));
    request.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(request.body as Blob);
  });
