import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class ProductIdParams {
  @ApiProperty({ description: 'Product id', example: 'p1', pattern: '^p\\d{1,9}$', maxLength: 10 })
  @Matches(/^p\d{1,9}$/, { message: 'id must look like p123' })
  id: string;
}
