import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class OrderLineDto {
  @ApiProperty({ example: 'p1', pattern: '^p\\d{1,9}$', maxLength: 10 })
  @Matches(/^p\d{1,9}$/, { message: 'product_id must look like p123' })
  product_id: string;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 1000, example: 2 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity: number;
}

/** POST /v1/orders body: a partner orders on behalf of one of its customers. */
export class CreateOrderDto {
  @ApiProperty({ description: 'The partner\'s customer', example: 'u1', pattern: '^u\\d{1,9}$', maxLength: 10 })
  @Matches(/^u\d{1,9}$/, { message: 'customer_id must look like u123' })
  customer_id: string;

  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines: OrderLineDto[];

  @ApiPropertyOptional({ description: 'Your own reference, echoed back', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  external_reference?: string;
}
