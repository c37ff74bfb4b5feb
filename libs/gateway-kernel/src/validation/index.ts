export { gatewayValidationPipe } from './validation.pipe';
