import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES } from '../webhook-delivery-query';

// The webhook API's answers, once (OpenAPI and the generated client). The request bodies are read by
// webhook-endpoint-input.ts, which answers the documented codes.

/** GET /api/v1/webhooks/endpoints[/:id]: never the secret. */
export class EndpointDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uri' }) url!: string;
  @ApiProperty({ type: [String], example: ['job.completed', 'job.failed'] }) events!: string[];
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) secret_rotated_at!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "While a rotation's grace window lasts: when the previous secret stops signing",
  })
  previous_secret_expires_at!: string | null;
}

/** The answer of create and rotate-secret: the only times the secret is shown. */
export class EndpointWithSecretDto extends EndpointDto {
  @ApiProperty({ example: 'whsec_…', description: 'The signing secret, shown this once' }) secret!: string;
}

export class EndpointListDto {
  @ApiProperty({ type: [EndpointDto] }) data!: EndpointDto[];
}

export class AttemptLogEntryDto {
  @ApiProperty() number!: number;
  @ApiProperty() series!: number;
  @ApiProperty({ format: 'date-time' }) started_at!: string;
  @ApiProperty({ type: Number, nullable: true }) duration_ms!: number | null;
  @ApiProperty({ type: Number, nullable: true }) status_code!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ description: 'TF-Event-Id (and Idempotency-Key) of every attempt, redeliveries included' })
  event_id!: string;
  @ApiProperty({ example: 'job.completed' }) event_type!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "null: the job's own webhook_url" })
  endpoint_id!: string | null;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() series!: number;
  @ApiProperty({ type: Number, nullable: true }) last_status_code!: number | null;
  @ApiProperty({ type: String, nullable: true }) last_error!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_attempt_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) delivered_at!: string | null;
  @ApiProperty({ type: [AttemptLogEntryDto] }) attempt_log!: AttemptLogEntryDto[];
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) data!: DeliveryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next (older) page; null on the last page',
  })
  next_cursor!: string | null;
}

/** 202 of POST /api/v1/webhooks/deliveries/:id/redeliver */
export class RedeliveryAcceptedDto {
  @ApiProperty({ format: 'uuid' }) delivery_id!: string;
  @ApiProperty({ format: 'uuid', description: 'Id of the WebhookRedeliveryRequested event (for support)' })
  request_id!: string;
  @ApiProperty({ enum: ['redelivery_requested'] }) status!: 'redelivery_requested';
}
