/** Injection token of the service's validated config object. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** Injection token of the root pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
/** Injection token of the service's name. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
