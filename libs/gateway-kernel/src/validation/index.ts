export { gatewayValidationPipe } from './validation.pipe';
export { PathParam, type PathParamRule } from './path-param.decorator';
