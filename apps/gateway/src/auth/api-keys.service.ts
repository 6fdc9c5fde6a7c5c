import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiKeyEntity } from './api-key.entity';
import { Scope, digestApiKey, generateApiKey, sameDigest } from './api-key';
import { ApiKeysRepository } from './api-keys.repository';

/** Who is calling: the tenant their jobs belong to and what they may do. */
export interface AuthenticatedKey {
  id: string;
  tenantId: string;
  scopes: string[];
}

export interface CreatedApiKey {
  /** Shown once; only its hash is stored. */
  key: string;
  id: string;
  prefix: string;
  tenantId: string;
  scopes: Scope[];
}

export type EnsureKeyResult = 'created' | 'exists' | 'revoked';

/** Issues, checks and revokes API keys. */
@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeysRepository) {}

  async create(tenantId: string, scopes: Scope[], name: string | null = null): Promise<CreatedApiKey> {
    if (!tenantId.trim()) throw new Error('tenant must not be empty');
    for (;;) {
      const key = generateApiKey();
      const { prefix, hash } = digestApiKey(key)!;
      const id = randomUUID();
      // A hash collision of 256 random bits will not happen; the loop only makes the insert total.
      if (await this.keys.insertIfAbsent({ id, prefix, keyHash: hash, tenantId, scopes, name })) return { key, id, prefix, tenantId, scopes };
    }
  }

  /** Makes sure a given key (the deployment's bootstrap key) exists; never revives a revoked one. */
  async ensure(key: string, tenantId: string, scopes: Scope[], name: string): Promise<EnsureKeyResult> {
    const digest = digestApiKey(key);
    if (!digest) throw new Error('the key must look like tfk_ followed by 16..128 characters of [A-Za-z0-9_-]');
    const inserted = await this.keys.insertIfAbsent({ id: randomUUID(), prefix: digest.prefix, keyHash: digest.hash, tenantId, scopes, name });
    if (inserted) return 'created';
    const existing = await this.keys.findByHash(digest.hash);
    return existing?.revokedAt ? 'revoked' : 'exists';
  }

  /** The key's identity, or null when it is malformed, unknown or revoked. */
  async authenticate(raw: string | undefined): Promise<AuthenticatedKey | null> {
    const digest = digestApiKey(raw);
    if (!digest) return null;
    const candidates = await this.keys.findActiveByPrefix(digest.prefix);
    const match = candidates.find((c) => sameDigest(c.keyHash, digest.hash));
    return match ? { id: match.id, tenantId: match.tenantId, scopes: match.scopes } : null;
  }

  list(tenantId?: string): Promise<ApiKeyEntity[]> {
    return this.keys.list(tenantId);
  }

  revoke(idOrPrefix: string): Promise<number> {
    return this.keys.revoke(idOrPrefix);
  }
}
