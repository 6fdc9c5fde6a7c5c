import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** Every 4xx/5xx answer of the HTTP API (api-exception.filter.ts writes it). */
export class ApiErrorDto {
  @ApiProperty({ example: 'JOB_NOT_FOUND', description: 'Stable UPPER_SNAKE code' })
  code!: string;

  @ApiProperty({ example: 'No job 3f0c…', description: 'A sentence for humans' })
  message!: string;
}

/** An error answer of a route, in its OpenAPI description: the status and the codes it carries. */
export const ApiErrorResponse = (status: number, codes: string) =>
  ApiResponse({ status, type: ApiErrorDto, description: codes });
