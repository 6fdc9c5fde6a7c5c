import { Field, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';

/** A signed HLS playback URL: POST /api/v1/jobs/:id/playback, the job view's `playback`, GET /playback/:job_id/:token. */
@ObjectType('PlaybackGrant', {
  description: 'A signed, short-lived HLS playback URL; the token in its path is the authorization',
})
export class PlaybackGrantDto {
  @ApiProperty({
    example: 'http://127.0.0.1:18080/playback/{job_id}/{exp}.{sig}/master.m3u8',
    description: 'The master playlist on TF_PUBLIC_URL; no API key needed (any player, any origin)',
  })
  @Field(() => String, { description: 'The master playlist on TF_PUBLIC_URL; no API key needed' })
  url!: string;

  @ApiProperty({ format: 'date-time', description: 'After this the URL and the segment URLs it lists are refused' })
  @Field(() => String, { description: 'After this (ISO time) the URL is refused' })
  expires_at!: string;
}
