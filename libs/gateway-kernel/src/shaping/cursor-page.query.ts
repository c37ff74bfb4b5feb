import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * The query of a cursor-paged list: `?cursor=<from the previous page>&limit=20`.
 *
 * @example list(@Query() query: CursorPageQuery) { const offset = decodeCursor(query.cursor); }
 */
export class CursorPageQuery {
  @ApiPropertyOptional({ description: "The previous page's next cursor (opaque)", maxLength: 32 })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Items per page', type: 'integer', format: 'int32', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;
}
