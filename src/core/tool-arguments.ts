/**
 * Tool-call arguments travel as a JSON string in the canonical (OpenAI) format and as an object
 * in several provider formats. A client may send back arguments that are not a JSON object
 * (an empty string for a call with none, or a model's malformed output); those become `{}`
 * rather than failing the whole conversation.
 */
export function argumentsObject(args: string): Record<string, unknown> {
  if (args.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function argumentsString(input: unknown): string {
  return input === undefined || input === null ? "{}" : JSON.stringify(input);
}
