import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';
import { ApiShape, apiCode as code } from '../../http';
import { MAX_URL_LENGTH, WEBHOOK_EVENT_TYPES, WebhookEventType, webhookUrlProblem } from '../webhook-endpoint-input';
import { MAX_ROTATION_GRACE_S } from '../webhooks.config';

// The request bodies of /api/v1/webhooks/endpoints, validated by the API validation pipe with the
// documented codes. Other properties are ignored; an absent body is an empty one.

const notAnObject = { code: 'INVALID_BODY', message: 'The body must be a JSON object' };
const trimmed = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value), {
    toClassOnly: true,
  });
const given = (property: string) => ValidateIf((o: Record<string, unknown>) => o[property] !== undefined);

const IsWebhookUrl = (options: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isWebhookUrl',
      validator: {
        validate: (v: unknown) => webhookUrlProblem(v) === null,
        defaultMessage: (args) => webhookUrlProblem(args?.value) ?? '',
      },
    },
    options,
  );

const invalidEvents = {
  ...code('INVALID_EVENTS'),
  message: `events must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
};
const invalidEnabled = { ...code('INVALID_ENABLED'), message: 'enabled must be true or false' };

/** POST /api/v1/webhooks/endpoints: `url` required; `events` defaults to every type, `enabled` to true. */
@ApiShape({ unknownFields: 'ignore', notAnObject, absentIsEmpty: true })
export class CreateEndpointDto {
  @ApiProperty({ format: 'uri', maxLength: MAX_URL_LENGTH })
  @trimmed()
  @IsWebhookUrl(code('INVALID_WEBHOOK_URL'))
  url!: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'Default: every type' })
  @given('events')
  @IsArray(invalidEvents)
  @ArrayNotEmpty(invalidEvents)
  @IsIn(WEBHOOK_EVENT_TYPES, { ...invalidEvents, each: true })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ default: true })
  @given('enabled')
  @IsBoolean(invalidEnabled)
  enabled?: boolean;
}

/** PATCH /api/v1/webhooks/endpoints/:id: any of url, events, enabled; at least one (400 EMPTY_UPDATE). */
@ApiShape({ unknownFields: 'ignore', notAnObject, absentIsEmpty: true })
export class UpdateEndpointDto {
  @ApiPropertyOptional({ format: 'uri', maxLength: MAX_URL_LENGTH })
  @trimmed()
  @given('url')
  @IsWebhookUrl(code('INVALID_WEBHOOK_URL'))
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @given('events')
  @IsArray(invalidEvents)
  @ArrayNotEmpty(invalidEvents)
  @IsIn(WEBHOOK_EVENT_TYPES, { ...invalidEvents, each: true })
  events?: WebhookEventType[];

  @ApiPropertyOptional()
  @given('enabled')
  @IsBoolean(invalidEnabled)
  enabled?: boolean;
}

const invalidGrace = {
  ...code('INVALID_GRACE_PERIOD'),
  message: `grace_period_s must be a whole number of seconds in 0..${MAX_ROTATION_GRACE_S}`,
};

/** POST .../rotate-secret: optional `grace_period_s` (0 ends the old secret at once); default from config. */
@ApiShape({ unknownFields: 'ignore', notAnObject, absentIsEmpty: true })
export class RotateSecretDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_ROTATION_GRACE_S,
    description: "Default from the deployment's configuration",
  })
  @given('grace_period_s')
  @IsInt(invalidGrace)
  @Min(0, invalidGrace)
  @Max(MAX_ROTATION_GRACE_S, invalidGrace)
  grace_period_s?: number;
}
