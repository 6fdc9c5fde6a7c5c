import { Injectable, Logger } from '@nestjs/common';
import { RenditionsReady, TranscriptReady } from '@tf/contracts';
import { NonRetryableError, OutboxWriter } from '@tf/messaging';
import { EntityManager } from 'typeorm';
import { decideMaster } from './master-decision';
import { MasterPublisher } from './master-publisher.service';
import { PackagedVariant, SubtitleSource } from './packaging.entity';
import { PackagingRepository } from './packaging.repository';
import { videoPackagedEvent } from './video-packaged';

/**
 * The transactional half of packaging: runs inside processOnce, on the locked packaging row, so a
 * RenditionsReady and a TranscriptReady of one job (possibly on two consumers) are applied one
 * after the other and the later one always sees the earlier: the master ends up with SUBTITLES
 * whenever both arrived, whatever the order.
 */
@Injectable()
export class PackagingService {
  private readonly logger = new Logger(PackagingService.name);

  constructor(
    private readonly packagings: PackagingRepository,
    private readonly masters: MasterPublisher,
  ) {}

  async applyRenditions(
    tx: EntityManager,
    outbox: OutboxWriter,
    event: RenditionsReady,
    variants: PackagedVariant[],
    attempt: number,
  ): Promise<void> {
    const { job_id: jobId, spec, media } = event;
    const row = await this.packagings.lockForRenditions(tx, jobId, spec.enable_transcription && media.has_audio);
    const decision = decideMaster('renditions', row);
    if (decision.action !== 'write-master') return;
    const subtitles =
      decision.withSubtitles && row.subtitles ? { source: row.subtitles, durationS: media.duration_s } : null;
    const master = await this.masters.publish(jobId, variants, subtitles);
    await this.packagings.savePackaged(tx, jobId, {
      variants,
      masterKey: master.key,
      hasSubtitles: subtitles !== null,
      durationS: media.duration_s,
    });
    await outbox.append(
      tx,
      'VideoPackaged',
      videoPackagedEvent(jobId, spec, master, variants, subtitles !== null, attempt),
    );
    this.logger.log(
      `${jobId}: master written with ${variants.length} variant(s), subtitles ${subtitles ? 'yes' : 'not yet'}`,
    );
  }

  async applyTranscript(
    tx: EntityManager,
    outbox: OutboxWriter,
    event: TranscriptReady,
    attempt: number,
  ): Promise<void> {
    const { job_id: jobId } = event;
    const row = await this.packagings.lockForTranscript(tx, jobId, subtitleSource(event));
    const decision = decideMaster('transcript', row);
    if (decision.action !== 'write-master') {
      this.logger.log(`${jobId}: transcript recorded (${decision.reason})`);
      return;
    }
    const variants = row.variants ?? [];
    const master = await this.masters.publish(jobId, variants, {
      source: row.subtitles!,
      durationS: row.duration_s ?? event.duration_s,
    });
    await this.packagings.markSubtitled(tx, jobId);
    await outbox.append(tx, 'VideoPackaged', videoPackagedEvent(jobId, event.spec, master, variants, true, attempt));
    this.logger.log(`${jobId}: master rewritten with subtitles`);
  }
}

function subtitleSource(event: TranscriptReady): SubtitleSource {
  const vtt = event.files.find((f) => f.format === 'vtt');
  if (!vtt)
    throw new NonRetryableError('TRANSCRIPT_VTT_MISSING', `TranscriptReady of ${event.job_id} lists no vtt file`);
  return { vtt: vtt.object, language: event.language, segment_count: event.segment_count };
}
