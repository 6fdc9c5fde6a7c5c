import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

// The committed OpenAPI document and the client's types must be what the gateway's DTO classes and
// controllers generate now: a DTO or route changed without `npm run gen:api-client` fails here.
describe('generated API client', () => {
  it('libs/client/openapi.json and libs/client/src/generated/openapi.ts are what the code generates', () => {
    const out = execFileSync(process.execPath, ['-r', '@swc-node/register', 'scripts/gen-api-client.ts', '--print'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const generated = JSON.parse(out) as Record<string, string>;
    expect(Object.keys(generated).sort()).toEqual(['libs/client/openapi.json', 'libs/client/src/generated/openapi.ts']);
    for (const [file, text] of Object.entries(generated)) {
      const committed = readFileSync(join(root, file), 'utf8');
      expect({ file, upToDate: committed === text }).toEqual({ file, upToDate: true });
    }
    // The types are the document's: every schema of the document is a type of the client.
    const spec = JSON.parse(generated['libs/client/openapi.json']) as {
      components: { schemas: Record<string, unknown> };
    };
    const types = generated['libs/client/src/generated/openapi.ts'];
    const schemas = Object.keys(spec.components.schemas);
    expect(schemas.length).toBeGreaterThan(10);
    expect(schemas.filter((name) => !types.includes(`\n        ${name}: `))).toEqual([]);
  }, 120_000);
});
