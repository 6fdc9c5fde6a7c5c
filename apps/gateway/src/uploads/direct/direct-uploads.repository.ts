import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DirectUploadEntity } from './direct-upload.entity';
import { DirectUploadRecord } from './direct-upload-record';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DirectUploadChange = Partial<Pick<DirectUploadRecord, 'status' | 'error' | 'completedAt'>>;

@Injectable()
export class DirectUploadsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(upload: DirectUploadRecord): Promise<void> {
    await this.dataSource.getRepository(DirectUploadEntity).insert(upload);
  }

  /** A tenant's upload; another tenant's is as absent as an unknown id. */
  async findForTenant(id: string, tenantId: string): Promise<DirectUploadRecord | null> {
    if (!UUID.test(id)) return null;
    return this.dataSource.getRepository(DirectUploadEntity).findOne({ where: { id, tenantId } });
  }

  /** Reads the upload and locks its row until the transaction ends: completes of one upload apply one at a time. */
  async lockForUpdate(tx: EntityManager, id: string): Promise<DirectUploadRecord | null> {
    return tx.getRepository(DirectUploadEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Up to `limit` pending uploads past their expiry, locked until the transaction ends and skipped by
   * other replicas' sweepers meanwhile (FOR UPDATE SKIP LOCKED).
   */
  async claimExpired(tx: EntityManager, limit: number): Promise<DirectUploadRecord[]> {
    return tx
      .getRepository(DirectUploadEntity)
      .createQueryBuilder('u')
      .where(`u.status = 'pending'`)
      .andWhere('u.expires_at <= now()')
      .orderBy('u.expires_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async update(id: string, change: DirectUploadChange, tx: EntityManager = this.dataSource.manager): Promise<void> {
    await tx.update(DirectUploadEntity, { id }, { ...change, updatedAt: new Date() } as never);
  }
}
