import { rename, writeFile } from 'node:fs/promises';

/**
 * Writes the bound URLs as JSON. Written to a temporary file and renamed, so
 * a test polling for the file never reads half of it.
 */
export async function writeReadyFile(path: string, urls: Record<string, string | undefined>): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(urls, null, 2)}\n`);
  await rename(temporary, path);
}
