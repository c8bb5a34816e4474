/**
 * Which Worker secrets a config may use as provider keys, and where each key may be sent.
 *
 * - `keySecret` must match PROVIDER_KEY_SECRET (`UPPER_SNAKE_CASE` ending in `_API_KEY`), so the
 *   KV document can never name ADMIN_TOKEN, DASHBOARD_TOKEN, a signing secret or another binding.
 * - A key is sent only to the hosts bound to its secret name: the Worker var PROVIDER_KEY_HOSTS
 *   (JSON, `{"OPENAI_API_KEY": ["api.openai.com"], …}`, set in wrangler.toml, not in KV) or,
 *   for names it does not list, the official hosts below. Editing a provider's `baseUrl` in KV
 *   therefore cannot redirect an existing key: the call fails with `key_host_not_allowed`.
 */

export const PROVIDER_KEY_SECRET = /^[A-Z][A-Z0-9_]*_API_KEY$/;
export const PROVIDER_KEY_SECRET_RULE =
  "keySecret must name a provider-key secret: UPPER_SNAKE_CASE ending in _API_KEY (e.g. OPENAI_API_KEY); ADMIN_TOKEN, DASHBOARD_TOKEN, signing secrets and other bindings cannot be used";

/** Official API hosts of the usual key names, used when PROVIDER_KEY_HOSTS does not list a name. */
export const DEFAULT_KEY_HOSTS: Readonly<Record<string, readonly string[]>> = {
  OPENAI_API_KEY: ["api.openai.com"],
  ANTHROPIC_API_KEY: ["api.anthropic.com"],
  GEMINI_API_KEY: ["generativelanguage.googleapis.com"],
  GOOGLE_API_KEY: ["generativelanguage.googleapis.com"],
  GROQ_API_KEY: ["api.groq.com"],
  DEEPSEEK_API_KEY: ["api.deepseek.com"],
  MISTRAL_API_KEY: ["api.mistral.ai"],
  XAI_API_KEY: ["api.x.ai"],
  TOGETHER_API_KEY: ["api.together.xyz"],
  OPENROUTER_API_KEY: ["openrouter.ai"],
};

export function isProviderKeySecret(name: string): boolean {
  return PROVIDER_KEY_SECRET.test(name);
}

/** PROVIDER_KEY_HOSTS as given (a JSON string or, from wrangler.toml, an object); unreadable entries are ignored. */
export function parseKeyHosts(raw: unknown): Map<string, readonly string[]> {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return new Map();
    }
  }
  const out = new Map<string, readonly string[]>();
  if (value === null || typeof value !== "object" || Array.isArray(value)) return out;
  for (const [name, hosts] of Object.entries(value)) {
    if (!isProviderKeySecret(name) || !Array.isArray(hosts)) continue;
    out.set(name, hosts.filter((h): h is string => typeof h === "string" && h.length > 0).map((h) => h.toLowerCase()));
  }
  return out;
}

/** The hosts a key may be sent to: the var's entry for the name, else the official default, else none. */
export function keyHostsFor(name: string, configured: ReadonlyMap<string, readonly string[]>): readonly string[] {
  return configured.get(name) ?? (Object.hasOwn(DEFAULT_KEY_HOSTS, name) ? (DEFAULT_KEY_HOSTS[name] as readonly string[]) : []);
}

/** Whether a URL's host is one of the allowed hosts (exact host name, any port). */
export function hostAllowed(url: string, hosts: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return hosts.includes(host);
}
