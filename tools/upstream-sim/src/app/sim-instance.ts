import type { ServiceName } from './service-names';

/**
 * Who this server is. The port is known only after `listen` (port 0 picks a
 * free one), so `bind` fills it in before the first request can arrive.
 */
export class SimInstance {
  url = '';
  port = 0;
  /** Value of the `x-sim-instance` response header, e.g. `catalog:4002`. */
  label: string;

  constructor(readonly name: ServiceName) {
    this.label = name;
  }

  bind(url: string, port: number): void {
    this.url = url;
    this.port = port;
    this.label = `${this.name}:${port}`;
  }
}
