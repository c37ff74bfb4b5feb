export { ShutdownState } from './shutdown.state';
