import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import { ApiKeySourceContentError, type ApiKeySource } from './api-key-source';

/** Larger is not a key file: a bound on what a reload reads. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

/**
 * Keys from a JSON file (the shape of `API_KEYS`). The directory is watched,
 * not the file: editors and Kubernetes replace a file by renaming over it (a
 * ConfigMap swaps its `..data` link), which a watch on the old file never sees.
 *
 * @example new FileApiKeySource('/etc/bff/api-keys.json')
 */
export class FileApiKeySource implements ApiKeySource {
  readonly kind = 'file';
  readonly description: string;
  private watcher?: FSWatcher;
  private readonly logger = new Logger('ApiKeys');

  constructor(private readonly file: string) {
    this.description = `file ${file}`;
  }

  async read(): Promise<unknown[]> {
    const text = await readFile(this.file, 'utf8');
    if (text.length > MAX_FILE_BYTES) throw new ApiKeySourceContentError([`larger than ${MAX_FILE_BYTES} bytes`]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The parser's message would quote the file.
      throw new ApiKeySourceContentError(['not valid JSON']);
    }
    if (!Array.isArray(parsed)) throw new ApiKeySourceContentError(['must be a JSON list of keys']);
    return parsed;
  }

  async watch(changed: () => void): Promise<void> {
    const name = basename(this.file);
    try {
      this.watcher = watch(dirname(this.file), { persistent: false }, (_event, entry) => {
        // `..data` (a ConfigMap's swap) or the file itself; anything else in the folder is not ours.
        if (entry === null || entry === name || entry.startsWith('..')) changed();
      });
      this.watcher.on('error', (error) => this.logger.warn(`watching ${this.file} failed (${error.message}); the periodic re-read still applies`));
    } catch (error) {
      this.logger.warn(`cannot watch ${this.file} (${(error as Error).message}); the periodic re-read still applies`);
    }
  }

  async close(): Promise<void> {
    this.watcher?.close();
  }
}
