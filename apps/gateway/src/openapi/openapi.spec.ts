import type { OpenAPIObject } from '@nestjs/swagger';
import { completeOperations, openApiPath, tagOf } from './openapi';

describe('OpenAPI completion', () => {
  it('converts Express paths and derives tags', () => {
    expect(openApiPath('/api/v1/jobs/:id/cancel')).toBe('/api/v1/jobs/{id}/cancel');
    expect(tagOf('/api/v1/jobs/{id}')).toBe('jobs');
    expect(tagOf('/api/v1/webhooks/endpoints')).toBe('webhooks');
    expect(tagOf('/playback/{jobId}/{token}/master.m3u8')).toBe('playback');
    expect(tagOf('/health')).toBe('ops');
  });

  it('gives undecorated /api operations the key scheme, error answers, a tag and their scope; public routes none', () => {
    const doc = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/api/v1/things/{id}': { get: { responses: { '200': { description: 'ok' } } } },
        '/health': { get: { responses: { '200': { description: 'ok' } } } },
      },
    } as unknown as OpenAPIObject;
    completeOperations(doc, [{ method: 'GET', path: '/api/v1/things/:id', api: true, scope: 'jobs:read', handler: 'T#get' }]);
    const op = doc.paths['/api/v1/things/{id}'].get as unknown as Record<string, unknown> & { responses: Record<string, unknown> };
    expect(op.security).toEqual([{ 'api-key': [] }]);
    expect(op.tags).toEqual(['things']);
    expect(op['x-required-scope']).toBe('jobs:read');
    expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '403', '429', '500']);
    const health = doc.paths['/health'].get!;
    expect([health.security, health.tags]).toEqual([[], ['ops']]);
  });
});
