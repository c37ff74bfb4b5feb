export { encodeCursor, decodeCursor, nextCursor } from './cursor';
