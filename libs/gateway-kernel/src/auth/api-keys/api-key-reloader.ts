import { Logger } from '@nestjs/common';
import { ConfigError, parseApiKeySet, type ApiKeyRecord } from '../../config';
import { ApiKeySourceContentError, type ApiKeySource } from './api-key-source';
import { apiKeyMetrics } from './api-key.metrics';
import { ApiKeyTable, LiveApiKeys } from './api-key-table';

export type ReloadOutcome = 'applied' | 'unchanged' | 'refused' | 'failed';

export interface ApiKeyReloaderOptions {
  /** The `app` label of the metrics. */
  app: string;
  /** Re-read this often as well as on every change notice. */
  reconcileMs: number;
}

/**
 * Keeps `LiveApiKeys` in step with a source: reads it on every change notice
 * and every `reconcileMs`, validates the whole set, and swaps it in only when
 * every entry is good. A broken set is refused whole (log line, metric) and
 * the last good one stays in force. Reads never overlap: notices arriving
 * during a read make one more read after it.
 *
 * @example const reloader = new ApiKeyReloader(source, live, { app: 'partner-bff', reconcileMs: 30_000 }); await reloader.start();
 */
export class ApiKeyReloader {
  private readonly logger = new Logger('ApiKeys');
  /** Of the set in force, and of the last one refused: neither is rebuilt or reported twice. */
  private fingerprint?: string;
  private refusedFingerprint?: string;
  /** The set in force, by each entry's JSON text: unchanged entries are not validated again. */
  private checked: ReadonlyMap<string, ApiKeyRecord> = new Map();
  /** The last reason a set was refused or could not be read, for the start-up error. */
  private lastProblem?: string;
  private running?: Promise<ReloadOutcome>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly source: ApiKeySource,
    private readonly live: LiveApiKeys,
    private readonly options: ApiKeyReloaderOptions,
  ) {}

  /**
   * Loads the first set (an error when there is none to be had: the app must
   * not start with no keys, or with keys it was told to drop), then follows changes.
   */
  async start(): Promise<void> {
    const outcome = await this.reload();
    if (outcome === 'refused' || outcome === 'failed')
      throw new ConfigError([`auth.keySource: ${this.lastProblem ?? `no key set loaded from ${this.source.description}`}`]);
    await this.source.watch(() => void this.reload());
    this.timer = setInterval(() => void this.reload(), this.options.reconcileMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.source.close();
  }

  /** Reads and applies the source now (or right after the read in progress). */
  reload(): Promise<ReloadOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.readAndApply().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.reload();
      }
    });
    return this.running;
  }

  private async readAndApply(): Promise<ReloadOutcome> {
    let raw: unknown[];
    try {
      raw = await this.source.read();
    } catch (error) {
      if (error instanceof ApiKeySourceContentError) return this.refuse(error.problems, `!${error.message}`);
      this.refusedFingerprint = undefined;
      return this.count('failed', `cannot read ${this.source.description} (${(error as Error).message}); keeping the ${this.live.table.size} keys in force`);
    }
    const fingerprint = JSON.stringify(raw);
    if (fingerprint === this.fingerprint || fingerprint === this.refusedFingerprint) return 'unchanged';
    const result = parseApiKeySet(raw, this.checked);
    if (!result.ok) return this.refuse(result.problems, fingerprint);
    this.live.replace(ApiKeyTable.of(result.records));
    this.checked = result.checked;
    this.fingerprint = fingerprint;
    this.refusedFingerprint = undefined;
    apiKeyMetrics.keys.labels(this.options.app).set(result.records.length);
    this.logger.log(`API keys: ${result.records.length} in force from ${this.source.description}`);
    return this.count('applied');
  }

  private refuse(problems: string[], fingerprint: string): ReloadOutcome {
    if (fingerprint === this.refusedFingerprint) return 'unchanged';
    this.refusedFingerprint = fingerprint;
    return this.count(
      'refused',
      `update from ${this.source.description} refused, keeping the ${this.live.table.size} keys in force: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`,
    );
  }

  private count(outcome: ReloadOutcome, problem?: string): ReloadOutcome {
    apiKeyMetrics.reloads.labels(this.options.app, this.source.kind, outcome).inc();
    if (problem) {
      this.lastProblem = problem;
      this.logger.error(`API keys: ${problem}`);
    }
    return outcome;
  }
}
