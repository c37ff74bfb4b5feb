export * from './gateway-config';
export * from './gateway-config.constants';
export * from './gateway-config.module';
export { loadGatewayConfig, ConfigError } from './load-config';
export { Setting, Section, ListOf, EntriesOf, type SettingOptions } from './setting.decorator';
export { describeSettings, type SettingInfo } from './settings-schema';
export { renderSettingsReference, SETTINGS_REFERENCE_COMMAND } from './settings-reference';
export { parseApiKeySet, duplicateKeys, MAX_API_KEYS, type ApiKeySetResult } from './api-key-set';
export { upstreamTlsOptions, type UpstreamTlsOptions } from './upstream-tls';
