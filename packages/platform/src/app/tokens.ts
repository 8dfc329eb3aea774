/** The validated config object of the running service. */
export const CONFIG = Symbol('CONFIG');
/** The pino logger of the running service. */
export const LOGGER = Symbol('LOGGER');
/** The service's name, as it appears in logs, metrics and traces. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
