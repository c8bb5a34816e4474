/** Reserved model names a client can send. */
export const AUTO_MODEL = "auto";
export const ROUTE_PREFIX = "route:";
/** Route name recorded when a client's named model is served as asked. */
export const DIRECT_ROUTE = "direct";
