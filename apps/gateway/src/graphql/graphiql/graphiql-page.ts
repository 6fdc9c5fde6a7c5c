import { dirname, join } from 'node:path';

/** Where the gateway serves GraphiQL's scripts, styles and Monaco's workers (from the npm package, never a CDN). */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/assets';

/** The folder of @graphql-yoga/graphiql's prebuilt bundle: React, GraphiQL and Monaco in one UMD file plus its workers. */
export function graphiqlAssetsDir(): string {
  return join(dirname(require.resolve('@graphql-yoga/graphiql/package.json')), 'dist');
}

/** Monaco asks for a worker by label; the bundle ships one file per label (the graphql one's name has two dots). */
const WORKER_FILES = {
  editorWorkerService: 'editor.worker.bundle.js',
  json: 'json.worker.bundle.js',
  graphql: 'graphql.worker..bundle.js',
} as const;

/**
 * GraphiQL's page for `endpoint`: every asset from this origin, so it works with no internet. The
 * console keeps the signed-in key in sessionStorage (`tf.apiKey`) on the same origin; when it is
 * there GraphiQL starts with it in the headers editor and in graphql-ws' connection params.
 */
export function graphiqlPage(endpoint: string): string {
  const workers = Object.fromEntries(
    Object.entries(WORKER_FILES).map(([label, file]) => [label, `${GRAPHIQL_ASSETS_PATH}/monacoeditorwork/${file}`]),
  );
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Transcode Flow GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.css" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <noscript>GraphiQL needs JavaScript.</noscript>
    <main id="graphiql" aria-label="GraphiQL"></main>
    <script>
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: function (_moduleId, label) { return ${JSON.stringify(workers)}[label]; },
      };
    </script>
    <script src="${GRAPHIQL_ASSETS_PATH}/yoga-graphiql.umd.js"></script>
    <script>
      (function () {
        var key = null;
        try { key = sessionStorage.getItem('tf.apiKey'); } catch (e) {}
        var auth = { 'X-API-Key': key || '' };
        YogaGraphiQL.renderYogaGraphiQL(document.getElementById('graphiql'), {
          endpoint: ${JSON.stringify(endpoint)},
          subscriptionsProtocol: 'WS',
          connectionParams: key ? auth : {},
          headers: JSON.stringify(auth, null, 2),
          title: 'Transcode Flow',
          query: '{\\n  jobs(first: 5) {\\n    jobs { job_id status }\\n  }\\n}\\n',
        });
      })();
    </script>
  </body>
</html>
`;
}
