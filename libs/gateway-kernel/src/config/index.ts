export * from './gateway-config';
export * from './gateway-config.constants';
export * from './gateway-config.module';
export { loadGatewayConfig, ConfigError } from './load-config';
