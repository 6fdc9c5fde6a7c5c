import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** Every 4xx/5xx answer of the HTTP API (api-exception.filter.ts writes it). */
export class ApiErrorDto {
  @ApiProperty({ example: 'JOB_NOT_FOUND', description: 'Stable UPPER_SNAKE code' })
  code!: string;

  @ApiProperty({ example: 'No job 3f0c…', description: 'A sentence for humans' })
  message!: string;

  @ApiProperty({
    required: false,
    example: '5b0c2a4e-8f1d-4c3e-9a57-2f1e0b6d7c81',
    description:
      "The request's id (the `X-Request-Id` header of the answer: the client's own when it sent a valid one, " +
      'else generated); in every error answer of the HTTP API, and in every gateway log line of the request',
  })
  request_id?: string;
}

/** An error answer of a route, in its OpenAPI description: the status and the codes it carries. */
export const ApiErrorResponse = (status: number, codes: string) =>
  ApiResponse({ status, type: ApiErrorDto, description: codes });
