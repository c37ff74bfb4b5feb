import { type FaultConfig, hasFaults, NO_FAULTS, parseFaultConfig } from './fault-config';

/** One service instance's current faults. */
export class FaultController {
  private config: FaultConfig = { ...NO_FAULTS, routes: [] };
  /** The config when it does anything, else null: the request hook's fast path. */
  active: FaultConfig | null = null;

  constructor(initial?: unknown) {
    if (initial !== undefined) this.set(initial);
  }

  get current(): FaultConfig {
    return { ...this.config, routes: [...this.config.routes] };
  }

  /** Replaces the whole config (PUT semantics); throws FaultConfigError. */
  set(input: unknown): FaultConfig {
    this.config = parseFaultConfig(input);
    this.active = hasFaults(this.config) ? this.config : null;
    return this.current;
  }

  reset(): FaultConfig {
    return this.set({});
  }
}
