/**
 * The one secret scrubber. Every string that leaves the gateway (error fields, stream error
 * events), reaches the ledger or a log line goes through `scrubSecrets` (or `scrubDeep`).
 *
 * It removes, case-insensitively:
 * - the exact values of the secrets in use (bindings whose name says key/token/secret/password,
 *   remembered from the Worker's env by `rememberSecrets`), and their common re-encodings:
 *   base64 and base64url (at any byte alignment), URL percent-encoding (partial and full), hex,
 *   JSON string escaping;
 * - key-shaped tokens of any provider (sk-…, gsk_…, AIza…, Bearer …, ?key=… and the like).
 *
 * Scrub before truncating: a cut can leave a prefix no pattern recognises any more.
 */

export const REDACTED = "[redacted]";

/** Binding names whose values are secrets (provider keys, admin/dashboard tokens, signing secrets, the alert webhook's URL). */
export const SECRET_BINDING_NAME = /(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|WEBHOOK)/;
/** Vars whose names match but hold no secret (the key-to-host binding is public configuration). */
const NOT_SECRET = new Set(["PROVIDER_KEY_HOSTS"]);
/** Shorter values are not scrubbed by value: they would redact ordinary words. */
const MIN_SECRET_CHARS = 8;

// Provider keys look like these; nothing matching them may leave the gateway (all case-insensitive).
const KEY_SHAPED = new RegExp(
  [
    String.raw`\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}`, // OpenAI, Anthropic (sk-ant-…), many compatibles
    String.raw`\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}`,
    String.raw`\bgsk_[A-Za-z0-9]{8,}`, // Groq
    String.raw`\bxai-[A-Za-z0-9]{8,}`, // xAI
    String.raw`\bpplx-[A-Za-z0-9]{8,}`, // Perplexity
    String.raw`\bhf_[A-Za-z0-9]{16,}`, // Hugging Face
    String.raw`\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{16,}`,
    String.raw`\bAIza[0-9A-Za-z_-]{20,}`, // Google API keys
  ].join("|"),
  "gi",
);
/** Secrets after a label: `?key=…`, `Bearer …`, `x-api-key: …`; the label is kept. */
const LABELLED = /([?&](?:key|api_key|apikey|token|access_token)=|\bBearer\s+|\b(?:x-api-key|x-goog-api-key|api-key|authorization)["']?\s*[:=]\s*["']?)([^&\s"'<>,;]{8,})/gi;

let knownSignature = "";
let knownMatcher: RegExp | null = null;

/** Remembers the secret values among the Worker's bindings (cheap when they have not changed). */
export function rememberSecrets(env: object): void {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string" && value.length >= MIN_SECRET_CHARS && SECRET_BINDING_NAME.test(name) && !NOT_SECRET.has(name)) values.push(value);
  }
  const signature = values.sort().join("\u0000");
  if (signature === knownSignature) return;
  knownSignature = signature;
  knownMatcher = matcherFor(values);
}

/** Forgets remembered secrets (tests). */
export function forgetSecrets(): void {
  knownSignature = "";
  knownMatcher = null;
}

/** The forms a secret takes in text that quotes it: itself and its usual encodings. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  const bytes = new TextEncoder().encode(secret);
  forms.add([...bytes].map((b) => "%" + b.toString(16).padStart(2, "0")).join(""));
  forms.add([...bytes].map((b) => b.toString(16).padStart(2, "0")).join(""));
  for (const b64 of base64Forms(bytes)) {
    forms.add(b64);
    forms.add(b64.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_CHARS);
}

/**
 * Base64 of the secret as it appears inside a longer encoded text: for each of the three byte
 * offsets it can start at, the characters that depend on the secret's bytes alone.
 */
function base64Forms(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    let text = btoa(String.fromCharCode(...padded));
    const tail = (offset + bytes.length) % 3;
    if (tail !== 0) text = text.slice(0, text.length - 4);
    if (offset > 0) text = text.slice(4);
    out.push(text);
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function matcherFor(secrets: readonly string[]): RegExp | null {
  const forms = new Set<string>();
  for (const s of secrets) for (const f of secretForms(s)) forms.add(f);
  if (forms.size === 0) return null;
  // Longest first, so a form that contains another is removed whole.
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join("|"), "gi");
}

/** Removes secrets from one string; `extra` are further exact secrets (e.g. the key of this call). */
export function scrubSecrets(text: string, extra: readonly string[] = []): string {
  let out = text;
  const usable = extra.filter((s) => s.length >= 4);
  if (usable.length > 0) {
    const m = matcherFor(usable.filter((s) => s.length >= MIN_SECRET_CHARS));
    if (m) out = out.replace(m, REDACTED);
    // Short keys: the exact value only.
    for (const s of usable) if (s.length < MIN_SECRET_CHARS) out = out.split(s).join(REDACTED);
  }
  if (knownMatcher) out = out.replace(knownMatcher, REDACTED);
  return out.replace(KEY_SHAPED, REDACTED).replace(LABELLED, `$1${REDACTED}`);
}

/** A copy of a JSON-like value with every string (keys included) scrubbed. */
export function scrubDeep<T>(value: T): T {
  return scrubValue(value) as T;
}

function scrubValue(value: unknown): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[scrubSecrets(k)] = scrubValue(v);
    return out;
  }
  return value;
}
