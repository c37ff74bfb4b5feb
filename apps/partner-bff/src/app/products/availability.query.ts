import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';

/** At most this many ids per batch: one upstream call, bounded in size. */
export const MAX_AVAILABILITY_IDS = 50;

export class AvailabilityQuery {
  @ApiProperty({
    description: `Comma-separated product ids, 1 to ${MAX_AVAILABILITY_IDS} (repeats count once)`,
    example: 'p1,p2,p10',
    type: String,
    pattern: '^p\\d{1,9}(,p\\d{1,9})*$',
    // The longest list of distinct ids: 50 of `p` and 9 digits, with commas between.
    maxLength: MAX_AVAILABILITY_IDS * 11 - 1,
  })
  // `?ids=p1,p2`; a repeated `ids` is refused rather than merged, so one query has one meaning.
  @Transform(({ value }) => (typeof value === 'string' ? [...new Set(value.split(',').map((id) => id.trim()))] : undefined))
  @IsArray({ message: 'ids must be one comma-separated list' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_AVAILABILITY_IDS, { message: `ids may name at most ${MAX_AVAILABILITY_IDS} products` })
  @Matches(/^p\d{1,9}$/, { each: true, message: 'each id must look like p123' })
  ids: string[];
}
