export { encodeCursor, decodeCursor, nextCursor } from './cursor';
export { CursorPageQuery } from './cursor-page.query';
