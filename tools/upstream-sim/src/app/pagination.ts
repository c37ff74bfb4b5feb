export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** Query-string schema shared by list endpoints (Fastify coerces the strings). */
export const PAGE_QUERY_PROPERTIES = {
  limit: { type: 'integer', minimum: 1 },
  offset: { type: 'integer', minimum: 0 },
  cursor: { type: 'string', maxLength: 64 },
} as const;

export interface PageQuery {
  limit?: number;
  offset?: number;
  cursor?: string;
}

export interface Page {
  limit: number;
  offset: number;
}

/** Limit is clamped to MAX_LIMIT; a cursor (from `nextCursor`) wins over offset. */
export function readPage(query: PageQuery): Page | { error: string } {
  const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  if (query.cursor === undefined) return { limit, offset: query.offset ?? 0 };
  const offset = decodeCursor(query.cursor);
  return offset === undefined ? { error: 'cursor is not valid' } : { limit, offset };
}

/** The cursor for the page after `page`, or null on the last page. */
export function nextCursor(page: Page, total: number): string | null {
  const next = page.offset + page.limit;
  return next < total ? Buffer.from(`o:${next}`).toString('base64url') : null;
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
