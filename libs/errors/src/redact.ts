import { homedir, tmpdir } from 'node:os';

/**
 * Removes what an error message must not carry outside the process: URLs (presigned S3 URLs are bearer
 * credentials for an hour; any URL names an internal host), signature query parameters, absolute file
 * paths (temp work dirs), memory addresses (ffmpeg's "[mov @ 0x55d1c2a0]"), IP addresses, host:port pairs
 * and looked-up host names. What stays is the human part: "connect ECONNREFUSED <host>".
 *
 * Applied before anything is logged (libs/observability), emitted (JobFailed, JobProgress), stored (the
 * gateway's job error and timeline) or dead-lettered (tf-dlq-error). Idempotent: placeholders are not
 * matched again.
 */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/** First segments of absolute paths that name files: the usual roots plus this process's temp, home and working dirs. */
const FILE_ROOTS = [
  ...new Set(
    [
      'tmp',
      'var',
      'home',
      'root',
      'usr',
      'opt',
      'etc',
      'proc',
      'sys',
      'dev',
      'srv',
      'mnt',
      'media',
      'run',
      'boot',
      'lib',
      'lib64',
      'bin',
      'sbin',
      'nix',
      'snap',
      'private',
      'Users',
      'Volumes',
      'app',
      'work',
      'workspace',
      'data',
      'scratch',
    ].concat(
      [tmpdir(), homedir(), process.cwd()]
        .map((dir) => dir.split('/')[1] ?? '')
        .filter((root) => /^[\w.-]+$/.test(root)),
    ),
  ),
].map((root) => root.replace(/\./g, '\\.'));

const RULES: Array<[RegExp, string]> = [
  // Any URL with a scheme (http, https, s3, tcp, file, rtmp ...), credentials, query and all.
  [/\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s'"<>()`]*[^\s'"<>()`.,;:!?]/gi, '<url>'],
  // Signature parameters seen without their URL (a query string on its own, a log of headers).
  [/\b(X-Amz-[A-Za-z-]+|AWSAccessKeyId|Signature|Expires|X-Goog-[A-Za-z-]+)=[^&\s'"]+/g, '$1=<redacted>'],
  // Memory addresses: ffmpeg's "[h264 @ 0x55d1c2a0]", native stack frames.
  [/\b0x[0-9a-f]{4,16}\b/gi, '<addr>'],
  // IPv6: bracketed (with a port or not), full 8 groups, or compressed with "::".
  [/\[[0-9a-f:.]*:[0-9a-f:.]*(?:%\w+)?\](?::\d{1,5})?/gi, '<host>'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])/gi, '<host>'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:)*(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:)*[0-9a-f]{0,4}(?:%\w+)?(?![\w:])/gi, '<host>'],
  // IPv4, with its port when there is one.
  [/(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\w.])/g, '<host>'],
  // host:port ("minio:9000", "kafka.internal:9092", "localhost:5432").
  [/(?<![\w.<>/-])[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*:\d{2,5}(?![\w.])/gi, '<host>'],
  // DNS failures name the host without a port.
  [/\b(getaddrinfo\s+(?:ENOTFOUND|EAI_AGAIN))\s+[^\s,;:)]+/g, '$1 <host>'],
  // A local input as the media input builder names it to ffmpeg ("file:/tmp/tf-transcode-…/source.mp4"):
  // any absolute path after the protocol prefix, whatever its root.
  [/\bfile:\/(?!\/)[^\s'"<>()`]*[^\s'"<>()`.,;:!?]/gi, 'file:<path>'],
  // Absolute file paths under a filesystem root (/tmp/tf-transcode-…/source.mp4, /home/app/node_modules/…),
  // not URL paths such as /api/v1/jobs, which a log or a 404 may name; and Windows paths.
  [
    new RegExp(`(?<![\\w.:/<>-])/(?:${FILE_ROOTS.join('|')})(?![\\w.@%+~-])(?:/[\\w.@%+~-]*[\\w@%+~-])*/?`, 'g'),
    '<path>',
  ],
  [/\b[A-Z]:\\(?:[^\\\s'"]+\\)*[^\\\s'"]+/g, '<path>'],
];
