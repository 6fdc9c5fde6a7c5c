import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

export type NewApiKeyRow = Omit<ApiKeyEntity, 'createdAt' | 'revokedAt'>;

/** All reads and writes of gateway.api_keys. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  /** Unrevoked keys sharing a lookup prefix (nearly always zero or one). */
  findActiveByPrefix(prefix: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({ where: { prefix, revokedAt: IsNull() } });
  }

  findByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOne({ where: { keyHash } });
  }

  /** Inserts unless a key with the same hash exists; replicas starting together race here safely. */
  async insertIfAbsent(row: NewApiKeyRow): Promise<boolean> {
    const result = await this.repo.createQueryBuilder().insert().values(row).orIgnore().returning('id').execute();
    return result.raw.length > 0;
  }

  list(tenantId?: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({ where: tenantId ? { tenantId } : {}, order: { createdAt: 'ASC' } });
  }

  /** Revokes by id or by prefix; returns how many keys it revoked. */
  async revoke(idOrPrefix: string): Promise<number> {
    const byId = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where(byId ? 'id = :v' : 'prefix = :v', { v: idOrPrefix })
      .andWhere('revoked_at IS NULL')
      .execute();
    return result.affected ?? 0;
  }
}
