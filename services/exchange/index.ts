export { submitRequest } from './submit.js';
export type { SubmitInput } from './submit.js';
export { Relay } from './relay.js';
export { Inbox } from './inbox.js';
export { HorizonWatch } from './horizon.js';
export { RequestEvents } from './events.js';
export type { RequestEvent } from './events.js';
export { DEFAULT_EXCHANGE_SETTINGS, systemClock } from './deps.js';
export type { Clock, ExchangeDeps, ExchangeSettings } from './deps.js';
