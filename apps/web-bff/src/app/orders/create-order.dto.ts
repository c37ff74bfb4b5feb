import { Type } from 'class-transformer';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Matches, Max, Min, ValidateNested } from 'class-validator';

export class OrderLineDto {
  @ApiProperty({ example: 'p1', pattern: '^p\\d{1,9}$', maxLength: 10 })
  @Matches(/^p\d{1,9}$/, { message: 'productId must look like p123' })
  productId: string;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 100, example: 2 })
  @IsInt()
  @Min(1)
  @Max(100)
  quantity: number;
}

/** What the SPA sends to place an order; the user comes from the token, never the body. */
export class CreateOrderDto {
  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  items: OrderLineDto[];
}
