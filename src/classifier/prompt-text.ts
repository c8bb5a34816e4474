/**
 * How the classifier sees a request: the text of every message, content parts flattened.
 * Pure and Workers-safe; shared by the Worker, the training script and the classify CLI.
 */

/** A prompt as the gateway receives it: a plain string, or an OpenAI-style `messages` array. */
export type PromptInput = string | ReadonlyArray<{ role: string; content?: unknown }>;

const MESSAGE_SEPARATOR = "\n\n";

/** Text of one content part: text parts give their text, media parts a short marker, others nothing. */
function partText(part: unknown): string {
  if (typeof part === "string") return part;
  if (part === null || typeof part !== "object") return "";
  const p = part as Record<string, unknown>;
  if (typeof p.text === "string") return p.text; // {type:"text", text} and similar
  switch (p.type) {
    case "image_url":
    case "input_image":
    case "image":
      return "[image]";
    case "input_audio":
    case "audio":
      return "[audio]";
    case "file":
    case "input_file":
      return "[file]";
    default:
      return "";
  }
}

/** Text of one message's `content`: a string, null/absent, or an array of parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const part of content) {
      const t = partText(part);
      if (t !== "") texts.push(t);
    }
    return texts.join("\n");
  }
  return "";
}

/**
 * The text the classifier scores: a string prompt as is; for a messages array, the non-empty
 * contents of all messages (any role) joined by a blank line, in order. Roles are not included.
 */
export function promptText(input: PromptInput): string {
  if (typeof input === "string") return input;
  const texts: string[] = [];
  for (const message of input) {
    const t = contentText(message.content);
    if (t !== "") texts.push(t);
  }
  return texts.join(MESSAGE_SEPARATOR);
}
