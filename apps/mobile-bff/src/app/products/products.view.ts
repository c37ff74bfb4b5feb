import { ApiProperty } from '@nestjs/swagger';
import { CompactProduct } from '../compact';

/** A page of products (GET /api/products). */
export class ProductsPage {
  @ApiProperty({ type: [CompactProduct], maxItems: 100 }) items: CompactProduct[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last' }) nextCursor: string | null;
}
