/** Injection token of the module's `LiveModuleOptions`. */
export const LIVE_MODULE_OPTIONS = Symbol('LIVE_MODULE_OPTIONS');
