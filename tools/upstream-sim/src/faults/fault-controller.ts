import { type FaultConfig, hasFaults, NO_FAULTS, parseFaultConfig } from './fault-config';

/** Checks a faults body and fills in defaults; throws FaultConfigError. */
export type FaultParser = (input: unknown) => FaultConfig;

/** One service instance's current faults. */
export class FaultController {
  private config: FaultConfig = { ...NO_FAULTS, routes: [] };
  private readonly listeners = new Set<(active: FaultConfig | null) => void>();
  /** The config when it does anything, else null: the request hook's fast path. */
  active: FaultConfig | null = null;

  /** `parse` reads a service's dialect of the fields (the gRPC sim's status codes); default the HTTP sims'. */
  constructor(initial?: unknown, private readonly parse: FaultParser = parseFaultConfig) {
    if (initial !== undefined) this.set(initial);
  }

  get current(): FaultConfig {
    return { ...this.config, routes: [...this.config.routes] };
  }

  /** Replaces the whole config (PUT semantics); throws FaultConfigError. */
  set(input: unknown): FaultConfig {
    this.config = this.parse(input);
    this.active = hasFaults(this.config) ? this.config : null;
    for (const listener of this.listeners) listener(this.active);
    return this.current;
  }

  reset(): FaultConfig {
    return this.set({});
  }

  /** Hears every change: faults that act on open connections (the gRPC sim's `down`) need to act at once. */
  onChange(listener: (active: FaultConfig | null) => void): void {
    this.listeners.add(listener);
  }
}
