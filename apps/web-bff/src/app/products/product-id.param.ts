import type { PathParamRule } from '@gateway/kernel';

/** The catalog's product ids: `p` and up to nine digits. */
export const PRODUCT_ID: PathParamRule = {
  pattern: /^p\d{1,9}$/,
  maxLength: 10,
  message: 'id must look like p123',
  description: 'Product id',
  example: 'p1',
};
