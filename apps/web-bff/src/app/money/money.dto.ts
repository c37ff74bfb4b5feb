import { ApiProperty } from '@nestjs/swagger';

/** A price or total, as the catalog and orders services give it. */
export class Money {
  @ApiProperty({ example: 19.99 })
  amount: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code' })
  currency: string;
}
