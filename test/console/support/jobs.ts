import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { TranscodeFlowClient } from '@tf/client';
import { consoleUrl } from './browser';

/** A key of a tenant of its own (so a list starts empty), made with the local admin key. */
export async function keyOfNewTenant(
  admin: TranscodeFlowClient,
  name: string,
  scopes: Array<'jobs:read' | 'jobs:write' | 'admin'> = ['jobs:read', 'jobs:write'],
): Promise<{ key: string; id: string; tenant: string }> {
  const tenant = `${name}-${Date.now().toString(36)}`;
  const created = await admin.createKey({ tenant_id: tenant, scopes, name });
  return { key: created.key, id: created.id, tenant };
}

/** Uploads a file through the console's origin (form upload) with labels; answers the job id. */
export async function uploadThroughApi(
  key: string,
  path: string,
  fields: Record<string, string> = {},
): Promise<string> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('video_file', new Blob([await readFile(path)], { type: 'video/mp4' }), basename(path));
  const response = await fetch(`${consoleUrl}/api/v1/jobs/upload`, {
    method: 'POST',
    headers: { 'X-API-Key': key },
    body: form,
  });
  const body = (await response.json()) as { job_id?: string; code?: string; message?: string };
  if (!response.ok || !body.job_id) throw new Error(`upload refused: ${response.status} ${body.code} ${body.message}`);
  return body.job_id;
}
