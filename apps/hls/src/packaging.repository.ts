import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PackagedVariant, Packaging, SubtitleSource } from './packaging.entity';

/**
 * Statements on `packagings`, always inside the caller's transaction. The two `lockFor*` upserts
 * create the row when missing and take its row lock either way (INSERT ... ON CONFLICT DO UPDATE
 * waits for a concurrent writer and then sees its committed row), so the caller's decision and
 * writes happen with the other event type's handler shut out until commit.
 */
@Injectable()
export class PackagingRepository {
  async lockForRenditions(tx: EntityManager, jobId: string, transcriptExpected: boolean): Promise<Packaging> {
    return this.one(
      tx,
      `INSERT INTO packagings (job_id, transcript_expected) VALUES ($1, $2)
       ON CONFLICT (job_id) DO UPDATE SET transcript_expected = packagings.transcript_expected OR EXCLUDED.transcript_expected, updated_at = now()
       RETURNING *`,
      [jobId, transcriptExpected],
    );
  }

  async lockForTranscript(tx: EntityManager, jobId: string, subtitles: SubtitleSource): Promise<Packaging> {
    return this.one(
      tx,
      `INSERT INTO packagings (job_id, transcript_expected, subtitles) VALUES ($1, true, $2::jsonb)
       ON CONFLICT (job_id) DO UPDATE SET transcript_expected = true, subtitles = EXCLUDED.subtitles, updated_at = now()
       RETURNING *`,
      [jobId, JSON.stringify(subtitles)],
    );
  }

  async savePackaged(
    tx: EntityManager,
    jobId: string,
    state: { variants: PackagedVariant[]; masterKey: string; hasSubtitles: boolean; durationS: number },
  ): Promise<void> {
    await tx.query(
      `UPDATE packagings SET variants = $2::jsonb, master_key = $3, has_subtitles = $4, duration_s = $5, updated_at = now() WHERE job_id = $1`,
      [jobId, JSON.stringify(state.variants), state.masterKey, state.hasSubtitles, state.durationS],
    );
  }

  async markSubtitled(tx: EntityManager, jobId: string): Promise<void> {
    await tx.query(`UPDATE packagings SET has_subtitles = true, updated_at = now() WHERE job_id = $1`, [jobId]);
  }

  private async one(tx: EntityManager, sql: string, params: unknown[]): Promise<Packaging> {
    const rows: Packaging[] = await tx.query(sql, params);
    return rows[0];
  }
}
