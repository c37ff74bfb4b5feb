export { HealthModule } from './health.module';
export { ReadinessRegistry, type ReadinessCheck } from './readiness.registry';
