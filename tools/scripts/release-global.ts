// The release as the BFF bundles and the specs see it (libs/gateway-kernel/src/config/app-version.ts),
// for scripts that load the kernel's sources directly. Import it before the kernel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

(globalThis as { GATEWAY_APP_VERSION?: string }).GATEWAY_APP_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;
