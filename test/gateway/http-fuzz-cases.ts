// Generators of hostile HTTP requests for the OpenAPI-driven fuzz test (http-fuzz.int-spec.ts).
// Every value comes from fast-check, so one seed gives the same cases again.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { RawRequest } from './raw-http';

type Schema = {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  $ref?: string;
  nullable?: boolean;
};
type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema?: Schema }[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
};

/** One route of the document, as the fuzzer needs it. */
export interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  body: 'json' | 'multipart' | 'none';
  /** Properties of the documented body (a JSON object or the form's fields). */
  properties: Record<string, Schema>;
}

/** Ids that exist for the fuzz tenant, so that requests also reach the code behind the 404s. */
export interface KnownIds {
  job: string;
  upload: string;
  endpoint: string;
  key: string;
}

export interface FuzzKeys {
  admin: string;
  reader: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The routes of /docs-json; POST/PATCH/PUT/DELETE without a documented body still get JSON bodies. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const resolve = (s: Schema | undefined): Schema =>
    s?.$ref ? (doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {}) : (s ?? {});
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const multipart = content['multipart/form-data'];
      const json = content['application/json'];
      const schema = resolve((multipart ?? json)?.schema);
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(p.schema) })),
        body: multipart ? 'multipart' : json || method !== 'get' ? 'json' : 'none',
        properties: Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, resolve(v)])),
      });
    }
  }
  return ops;
}

// ---- values ------------------------------------------------------------------------------------

const ODD_STRINGS = [
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  'NaN',
  '-1',
  '0',
  '1.5',
  '1e400',
  '9'.repeat(40),
  '-9007199254740993',
  'x'.repeat(5000),
  '\u202e',
  'é',
  '😀',
  "' OR 1=1 --",
  '<script>',
  '%00',
  '%FF',
  '../../etc/passwd',
  '\\u0000',
  'ü'.repeat(300),
];
const oddString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...ODD_STRINGS),
);

const VALID_DATES = ['2025-01-31', '2025-01-31T12:00:00Z', '2024-02-29T23:59:59.999+02:00', new Date().toISOString()];
const IMPOSSIBLE_DATES = [
  '2025-13-01',
  '2025-02-30',
  '2025-00-10T00:00:00Z',
  '2025-01-01T25:61:00Z',
  '0000-01-01',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00Z',
  '2025-01-01T10:00:00+99:00',
  '99999-01-01',
  '2025-1-1',
];
const dateArb = fc.oneof(
  fc.constantFrom(...VALID_DATES, ...IMPOSSIBLE_DATES),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  oddString,
);

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const UUIDS = [
  '6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];
/** Cursors: as the API writes them (jobs: JSON pair; deliveries: "iso|id"), with impossible dates, or garbage. */
const cursorArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        ...IMPOSSIBLE_DATES.map((d) => `${d.slice(0, 10)}T00:00:00.000000Z`),
        '2025-01-31T10:00:00.123456Z',
        '2025-13-45T99:99:99.999999Z',
      ),
      fc.constantFrom(...UUIDS, 'x', ''),
    )
    .map(([at, id]) => b64(JSON.stringify([at, id]))),
  fc
    .tuple(fc.constantFrom(...IMPOSSIBLE_DATES, '2025-01-31T10:00:00.000Z'), fc.constantFrom(...UUIDS, 'x'))
    .map(([at, id]) => b64(`${at}|${id}`)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => b64(JSON.stringify(v))),
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a).toString('base64url')),
  oddString,
);

const numberArb = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MIN_VALUE),
);

/** A JSON value for a property: right type most often, the wrong one (or garbage) otherwise. */
function valueFor(schema: Schema | undefined, name = ''): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(fc.jsonValue({ maxDepth: 2 }), oddString);
  let right: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });
  if (schema?.enum?.length) right = fc.constantFrom(...schema.enum);
  else if (/_at$|^from$|^to$|created_/.test(name) || schema?.format === 'date-time') right = dateArb;
  else if (/url/.test(name) || schema?.format === 'uri')
    right = fc.constantFrom(
      'https://hooks.example.com/tf',
      'http://127.0.0.1:1/x',
      'ftp://x',
      'https://[::1]/',
      'http://169.254.169.254/latest',
      'https://例え.jp/ß',
    );
  else if (/resolutions/.test(name))
    right = fc.constantFrom('360p,720p', '1080p', '999p', ['360p', '4k'], ',', '360p'.repeat(100));
  else if (schema?.type === 'integer' || schema?.type === 'number') right = numberArb;
  else if (schema?.type === 'boolean') right = fc.constantFrom(true, false, 'true', 'false', 1, 0, null);
  else if (schema?.type === 'array') right = fc.array(valueFor(schema.items, name), { maxLength: 4 });
  else if (schema?.type === 'object' || schema?.properties) right = objectFor(schema?.properties ?? {});
  else if (schema?.type === 'string') right = oddString;
  return fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

const EXTRA_PROPERTIES = [
  'url',
  'events',
  'enabled',
  'failed',
  'description',
  'from',
  'to',
  'tenant',
  'dry_run',
  'reason',
  'grace_seconds',
  'parts',
  'scopes',
  'labels',
  '__proto__',
  'constructor',
];

function objectFor(properties: Record<string, Schema>): fc.Arbitrary<Record<string, unknown>> {
  const names = [...Object.keys(properties), ...EXTRA_PROPERTIES];
  return fc
    .uniqueArray(fc.constantFrom(...names), { maxLength: names.length })
    .chain((picked) =>
      fc
        .tuple(...picked.map((n) => valueFor(properties[n], n)))
        .map((values) => Object.fromEntries(picked.map((n, i) => [n, values[i]]))),
    );
}

// ---- bodies ------------------------------------------------------------------------------------

interface Body {
  bytes: Buffer;
  contentType: string | null;
}

const nested = (depth: number) => Buffer.from(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);
const MALFORMED_JSON = [
  '{',
  '{"a":',
  '[1,2',
  '{"a":1,}',
  "{'a':1}",
  '\u0000',
  'null',
  '"x"',
  '1',
  '[]',
  '{"a":"\\ud800"}',
  '\ufeff{}',
];

function jsonBody(op: Operation): fc.Arbitrary<Body> {
  const text = fc.oneof(
    { weight: 5, arbitrary: objectFor(op.properties).map((o) => Buffer.from(JSON.stringify(o) ?? 'null')) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((s) => Buffer.from(s)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        nested(5000),
        nested(33),
        nested(31),
        Buffer.from(`{"a":"${'x'.repeat(120_000)}"}`),
        Buffer.alloc(0),
      ),
    },
  );
  return text.map((bytes) => ({ bytes, contentType: 'application/json' }));
}

const FILENAMES = [
  'clip.mp4',
  'vidéo été.mp4',
  '日本語の動画.mov',
  '😀.webm',
  '../../x.mp4',
  'a"b.mp4',
  '',
  'x'.repeat(400),
  'noext',
];

function multipartBody(op: Operation): fc.Arbitrary<Body> {
  const names = [
    ...Object.keys(op.properties).filter((n) => n !== 'video_file'),
    'labels',
    'target_resolution',
    'extra',
  ];
  const field = fc
    .tuple(
      fc.constantFrom(...names),
      fc.oneof(valueFor(undefined), fc.constantFrom('360p', 'high', 'true', 'en', 'a,b')),
    )
    .map(([name, v]) => ({ name, value: typeof v === 'string' ? v : (JSON.stringify(v) ?? '') }));
  const file = fc
    .tuple(
      fc.constantFrom('video_file', 'video_file', 'other_file'),
      fc.constantFrom(...FILENAMES),
      fc.uint8Array({ maxLength: 2048 }),
    )
    .map(([name, filename, content]) => ({ name, filename, content: Buffer.from(content) }));
  const parts = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.array(field, { maxLength: 5 }), fc.array(file, { minLength: 0, maxLength: 2 }))
        .chain(([f, files]) => fc.shuffledSubarray([...f, ...files], { minLength: f.length + files.length })),
    },
    // Over the form's limits: 40 fields, 10 files, 70 parts, a 70 KB field.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(40, 10, 70, 1)
        .map((n) =>
          n === 1
            ? [{ name: 'webhook_url', value: 'x'.repeat(70_000) }]
            : Array.from({ length: n }, (_, i) =>
                n === 10
                  ? { name: 'video_file', filename: `f${i}.mp4`, content: Buffer.from('x') }
                  : { name: `labels`, value: `l${i}` },
              ),
        ),
    },
  );
  return fc
    .tuple(
      parts as fc.Arbitrary<({ name: string; value: string } | { name: string; filename: string; content: Buffer })[]>,
      fc.constantFrom('ok', 'ok', 'ok', 'no-end', 'wrong-boundary', 'no-boundary'),
    )
    .map(([list, framing]) => {
      const boundary = `fuzz${randomUUID().slice(0, 8)}`;
      const chunks: Buffer[] = [];
      for (const part of list) {
        if ('filename' in part) {
          chunks.push(
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: video/mp4\r\n\r\n`,
              'utf8',
            ),
            part.content,
            Buffer.from('\r\n'),
          );
        } else {
          chunks.push(
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
              'utf8',
            ),
          );
        }
      }
      if (framing !== 'no-end') chunks.push(Buffer.from(`--${boundary}--\r\n`));
      const contentType =
        framing === 'no-boundary'
          ? 'multipart/form-data'
          : `multipart/form-data; boundary=${framing === 'wrong-boundary' ? 'other' : boundary}`;
      return { bytes: Buffer.concat(chunks), contentType };
    });
}

const URLENCODED = [
  'a=1&b=2',
  'x[a][b][c][d][e][f][g][h][i][j]=1',
  Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&'),
  '%ZZ=%',
  'a'.repeat(150_000),
];

function bodyFor(op: Operation): fc.Arbitrary<Body | null> {
  const own = op.body === 'multipart' ? multipartBody(op) : op.body === 'json' ? jsonBody(op) : fc.constant(null);
  const other = fc.oneof(
    jsonBody(op),
    fc
      .constantFrom(...URLENCODED)
      .map((s) => ({ bytes: Buffer.from(s), contentType: 'application/x-www-form-urlencoded' })),
    fc.uint8Array({ maxLength: 512 }).map((a) => ({ bytes: Buffer.from(a), contentType: null })),
  );
  return fc.oneof({ weight: 6, arbitrary: own }, { weight: 1, arbitrary: other });
}

// ---- headers and framing -----------------------------------------------------------------------

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=koi8-r',
  'application/json; charset=',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/x-www-form-urlencoded',
  '*/*',
  'application/json, text/plain',
  'ä/ö',
];
const ENCODINGS = [
  'gzip-valid',
  'gzip-garbage',
  'deflate',
  'br',
  'zstd',
  'gzip, gzip',
  'identity',
  'x-unknown',
] as const;
const FRAMINGS = ['shorter', 'longer', 'chunked', 'chunked-broken', 'cl-and-te', 'two-cl'] as const;
const EXTRA_HEADERS: [string, string][][] = [
  [['X-Huge', 'h'.repeat(20_000)]],
  Array.from({ length: 150 }, (_, i) => [`X-Many-${i}`, 'v'] as [string, string]),
  [['Expect', '100-continue']],
  [['Accept', 'text/html']],
  [['Content-Length', 'abc']],
  [['X-Forwarded-For', '127.0.0.1, ::1, garbage']],
];

export interface FuzzCase {
  request: RawRequest;
  /** The framing lies about the body: the server may have no answer to give. */
  brokenFraming: boolean;
}

function keyHeader(keys: FuzzKeys): fc.Arbitrary<string | null> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(keys.admin) },
    { weight: 2, arbitrary: fc.constant(keys.reader) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        null,
        '',
        'tfk_' + 'A'.repeat(43),
        'tfk_short',
        'Bearer x',
        'k'.repeat(9000),
        'tfk_ü',
        `${keys.admin} `,
        keys.admin.toUpperCase(),
      ),
    },
  );
}

function pathValue(param: string, op: Operation, ids: KnownIds): fc.Arbitrary<string> {
  const real = op.path.includes('/uploads')
    ? ids.upload
    : op.path.includes('/endpoints')
      ? ids.endpoint
      : op.path.includes('/admin/keys')
        ? ids.key
        : ids.job;
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(real) },
    { weight: 2, arbitrary: fc.constantFrom(...UUIDS, randomUUID()) },
    { weight: 2, arbitrary: oddString.map((s) => encodeURIComponent(s)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%FF',
        '%',
        '%00',
        '..',
        '%2e%2e%2f',
        'a%2Fb',
        'index.m3u8',
        `${real}x`,
        real.toUpperCase(),
      ),
    },
    {
      weight: param === 'token' || param === 'dir' ? 3 : 0,
      arbitrary: fc.constantFrom('v1.abc.def', '720p', 'audio', b64('{"exp":99999999999}')),
    },
  );
}

const GENERIC_QUERY = [
  'cursor',
  'limit',
  'status',
  'job_id',
  'endpoint_id',
  'created_after',
  'created_before',
  'label',
  'tenant_id',
  'include_revoked',
  'expires_in',
];

function queryFor(op: Operation): fc.Arbitrary<string> {
  const names = [
    ...new Set([...op.query.map((q) => q.name), ...(op.method === 'GET' ? GENERIC_QUERY : []), 'unknown']),
  ];
  const valueOf = (name: string) => {
    const schema = op.query.find((q) => q.name === name)?.schema;
    if (name === 'cursor') return cursorArb;
    if (/created_|_at$/.test(name)) return dateArb;
    if (name === 'limit')
      return fc.oneof(fc.constantFrom('1', '100', '101', '0', '-1', '2.5', '1e3', '99999999999999999999'), oddString);
    return valueFor(schema, name).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')));
  };
  const pair = fc
    .constantFrom(...names)
    .chain((name) => valueOf(name).map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`));
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(pair, { maxLength: 4 }).map((p) => (p.length ? `?${p.join('&')}` : '')) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '?cursor[a]=1',
        '?limit=1&limit=2',
        '?status=%FF',
        '?=&&=',
        `?label=${'a,'.repeat(500)}`,
        `?${'x'.repeat(10_000)}=1`,
      ),
    },
  );
}

/** One case: a route of the document with hostile parameters, headers, body and framing. */
export function fuzzCase(ops: Operation[], keys: FuzzKeys, ids: KnownIds): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...ops).chain((op) =>
    fc
      .record({
        method: fc.oneof(
          { weight: 12, arbitrary: fc.constant(op.method) },
          { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') },
        ),
        pathValues: fc.tuple(...op.pathParams.map((p) => pathValue(p, op, ids))),
        query: queryFor(op),
        key: keyHeader(keys),
        body: bodyFor(op),
        contentType: fc.oneof(
          { weight: 8, arbitrary: fc.constant<string | undefined>(undefined) },
          { weight: 1, arbitrary: fc.constantFrom<string | undefined>(...CONTENT_TYPES) },
        ),
        encoding: fc.oneof(
          { weight: 8, arbitrary: fc.constant<(typeof ENCODINGS)[number] | null>(null) },
          { weight: 2, arbitrary: fc.constantFrom(...ENCODINGS) },
        ),
        framing: fc.oneof(
          { weight: 10, arbitrary: fc.constant<(typeof FRAMINGS)[number] | 'honest'>('honest') },
          { weight: 2, arbitrary: fc.constantFrom(...FRAMINGS) },
        ),
        extra: fc.oneof(
          { weight: 10, arbitrary: fc.constant<[string, string][]>([]) },
          { weight: 1, arbitrary: fc.constantFrom(...EXTRA_HEADERS) },
        ),
      })
      .map((c) => {
        let target = op.path;
        op.pathParams.forEach((p, i) => (target = target.replace(`{${p}}`, c.pathValues[i])));
        target = `${target}${c.query}`.replace(/[\r\n ]/g, '');
        const headers: [string, string][] = [];
        if (c.key !== null) headers.push(['X-API-Key', c.key]);
        let bytes = c.body?.bytes ?? null;
        const contentType = c.contentType ?? c.body?.contentType;
        if (contentType) headers.push(['Content-Type', contentType]);
        if (bytes && c.encoding) {
          const garbage = Buffer.from('definitely not compressed');
          if (c.encoding === 'gzip-valid') bytes = gzipSync(bytes);
          else if (c.encoding !== 'identity') bytes = garbage;
          headers.push([
            'Content-Encoding',
            c.encoding === 'gzip-valid' || c.encoding === 'gzip-garbage' ? 'gzip' : c.encoding,
          ]);
        }
        headers.push(...c.extra);
        const body = bytes ?? Buffer.alloc(0);
        let sent = body;
        let endAfterWrite = false;
        switch (c.framing) {
          case 'honest':
            if (bytes) headers.push(['Content-Length', String(body.length)]);
            break;
          case 'shorter':
            headers.push(['Content-Length', String(Math.max(0, body.length - 7))]);
            break;
          case 'longer':
            headers.push(['Content-Length', String(body.length + 100)]);
            endAfterWrite = true;
            break;
          case 'chunked':
            headers.push(['Transfer-Encoding', 'chunked']);
            sent = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
            break;
          case 'chunked-broken':
            headers.push(['Transfer-Encoding', 'chunked']);
            sent = Buffer.concat([Buffer.from('zz\r\n'), body]);
            endAfterWrite = true;
            break;
          case 'cl-and-te':
            headers.push(['Content-Length', String(body.length)], ['Transfer-Encoding', 'chunked']);
            break;
          case 'two-cl':
            headers.push(['Content-Length', String(body.length)], ['Content-Length', String(body.length + 1)]);
            break;
        }
        return {
          request: { method: c.method, target, headers, body: sent, endAfterWrite },
          brokenFraming: c.framing !== 'honest' && c.framing !== 'chunked',
        };
      }),
  );
}
