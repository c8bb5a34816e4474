/** Every KV key the gateway uses (namespace bound as CONFIG). Documented in README "Storage". */
/** The routing config document, edited by people (dashboard or PUT /admin/config). */
export const KV_CONFIG_KEY = "config";
/** The last document that passed validation, written by the gateway; served when `config` is broken. */
export const KV_LAST_VALID_KEY = "config:last-valid";
/** Gateway key records by their secret's SHA-256 (`gatewaykey:<hex>`), see storage/gateway-keys.ts. */
export const KV_GATEWAY_KEY_PREFIX = "gatewaykey:";
/** Key id → the SHA-256 of its current secret (`gatewaykey-id:<id>`), for the admin API. */
export const KV_GATEWAY_KEY_ID_PREFIX = "gatewaykey-id:";
/** An origin some gateway key lists (`gatewaykey-origin:<origin>`), so CORS preflights (which carry no key) can be answered. */
export const KV_GATEWAY_KEY_ORIGIN_PREFIX = "gatewaykey-origin:";
/** Ledger entries dead-lettered during a D1 outage (`ledger-dlq:<request id>`), written by the dead-letter consumer, replayed by POST /admin/ledger/replay. */
export const KV_LEDGER_DLQ_PREFIX = "ledger-dlq:";
