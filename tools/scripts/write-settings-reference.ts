// Rewrites docs/configuration.md from the config schema (`npm run docs:settings`);
// the kernel's settings-reference spec fails when the committed file differs.
import 'reflect-metadata';
import './release-global';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSettingsReference } from '../../libs/gateway-kernel/src/config/settings-reference';

const target = join(__dirname, '..', '..', 'docs', 'configuration.md');
writeFileSync(target, renderSettingsReference());
process.stdout.write(`wrote ${target}\n`);
