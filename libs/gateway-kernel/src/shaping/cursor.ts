import { ErrorCode, GatewayError } from '../errors';

const CURSOR = /^o(\d{1,7})$/;

/**
 * Opaque page cursors over an upstream's offset paging: clients hold a token,
 * not an offset they could be tempted to compute.
 *
 * @example const offset = decodeCursor(query.cursor); const next = encodeCursor(offset + limit);
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o${offset}`).toString('base64url');
}

/** The offset in a cursor (0 when absent); a malformed cursor is the client's 400. */
export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^[A-Za-z0-9_-]{1,16}$/.test(cursor) ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString('latin1')) : null;
  if (!match) throw new GatewayError(ErrorCode.BadRequest, 'cursor is not valid');
  return Number(match[1]);
}

/** The next page's cursor, or null on the last page. */
export function nextCursor(offset: number, limit: number, total: number): string | null {
  return offset + limit < total ? encodeCursor(offset + limit) : null;
}
