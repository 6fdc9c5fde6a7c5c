import type { ObjectRef } from '@tf/contracts';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One packaged variant, as stored (enough to re-render the master without the segments). */
export interface PackagedVariant {
  label: string;
  playlist: ObjectRef;
  /** Peak segment bit rate (BANDWIDTH) and total bits / duration (AVERAGE-BANDWIDTH), bits/s. */
  bandwidth: number;
  average_bandwidth: number;
  width: number;
  height: number;
  codecs: string;
  frame_rate: number | null;
  segment_count: number;
}

/** The transcript's WebVTT as the transcriber stored it (processed-videos), and its language. */
export interface SubtitleSource {
  vtt: ObjectRef;
  language: string;
  segment_count: number;
}

/**
 * The packaging state of a job. Created by whichever of RenditionsReady / TranscriptReady comes
 * first; `variants`/`master_key` stay null until the renditions are packaged, `subtitles` until the
 * transcript is known. Both handlers upsert it, which locks the row: that serializes the decision
 * "is the transcript known? then the master carries SUBTITLES".
 */
@Entity({ name: 'packagings' })
export class Packaging {
  @PrimaryColumn('text')
  job_id!: string;

  @Column('jsonb', { nullable: true })
  variants!: PackagedVariant[] | null;

  @Column('text', { nullable: true })
  master_key!: string | null;

  @Column('boolean', { default: false })
  transcript_expected!: boolean;

  @Column('jsonb', { nullable: true })
  subtitles!: SubtitleSource | null;

  @Column('boolean', { default: false })
  has_subtitles!: boolean;

  /** Video duration (from RenditionsReady): the length of the subtitle playlist. */
  @Column('double precision', { nullable: true })
  duration_s!: number | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at!: Date;
}
