/**
 * Token estimates for when an upstream reports no usage (and for prompt-length routing).
 * About four characters per token for English text, the usual rule of thumb; every
 * estimate is recorded as one (`usage_estimated`) so no figure passes for a measured one.
 */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateTokensFromChars(chars: number): number {
  return chars <= 0 ? 0 : Math.ceil(chars / CHARS_PER_TOKEN);
}
