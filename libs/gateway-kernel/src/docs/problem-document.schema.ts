import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** The OpenAPI schema of every error body (RFC 9457), shared by all routes of every BFF. */
@ApiSchema({ name: 'ProblemDetails', description: 'RFC 9457 problem details, sent as application/problem+json.' })
export class ProblemDocument {
  @ApiProperty({ description: 'URI naming the kind of problem', example: 'https://problems.multi-bff.dev/not-found' })
  type: string;

  @ApiProperty({ description: 'Short summary of the kind of problem', example: 'Not Found' })
  title: string;

  @ApiProperty({ description: 'HTTP status', example: 404 })
  status: number;

  @ApiPropertyOptional({ description: 'What went wrong with this request, safe to show', example: 'not found at upstream catalog' })
  detail?: string;

  @ApiProperty({ description: 'The request path', example: '/api/products/p999' })
  instance: string;

  @ApiProperty({ description: 'The x-request-id of the request, for support', example: '5b0c2b7e-4b7d-4c5e-9b43-0d8f3f2f7f11' })
  requestId: string;

  @ApiPropertyOptional({ description: 'Field-level reasons of a validation failure', type: [String] })
  errors?: string[];
}
