import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class OrderIdParams {
  @ApiProperty({ description: 'Order id', example: 'o1', pattern: '^o\\d{1,9}$', maxLength: 10 })
  @Matches(/^o\d{1,9}$/, { message: 'id must look like o123' })
  id: string;
}
