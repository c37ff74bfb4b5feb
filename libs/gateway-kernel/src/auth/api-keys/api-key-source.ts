/**
 * Where a set of partner keys is read from at run time. `read` returns the raw
 * list (validated by the reloader), or throws `ApiKeySourceContentError` when
 * what it found cannot be a key set (refused), or any error when it could
 * not read at all (failed); either way the last good set stays in force.
 *
 * @example const source: ApiKeySource = new FileApiKeySource('/etc/bff/api-keys.json');
 */
export interface ApiKeySource {
  /** `file` or `redis`: the metric's `source` label. */
  readonly kind: string;
  /** For log lines: `file /etc/bff/api-keys.json`, `redis hash gw:api-keys`. */
  readonly description: string;
  read(): Promise<unknown[]>;
  /** Calls `changed` whenever the set may have changed; as often as it likes (the reloader coalesces). */
  watch(changed: () => void): Promise<void>;
  close(): Promise<void>;
}

/** What a source found is not a key set (broken JSON, a broken entry): refused whole. */
export class ApiKeySourceContentError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ApiKeySourceContentError';
  }
}
