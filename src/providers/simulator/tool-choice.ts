/**
 * Which tool the simulator calls, if any. Forced (`required` or a named function): that tool.
 * `auto` (or unset) with tools: a tool when the last message is the user's and it plausibly asks
 * for one — it names the tool, or shares words with the tool's name or description (e.g.
 * "weather" for get_weather, "Describe the weather in a city") — the best-scoring tool; after a
 * tool result, or when nothing matches, an answer. Deterministic: a function of the request only.
 */
import { contentText, type ChatRequest } from "../../core/chat-request";

export interface ChosenTool {
  name: string;
  parameters: unknown;
}

const STOPWORDS = new Set([
  "the", "and", "for", "with", "that", "this", "from", "what", "when", "where", "which", "your", "into", "about", "have", "will",
  "tool", "tools", "function", "call", "calls", "returns", "return", "given", "get", "gets", "set", "use", "uses", "using", "value", "values",
  "data", "information", "info", "current", "some", "any", "all", "each", "can", "how", "does",
]);

/** Lowercase words of 3+ letters: names split at `_`, `-` and camelCase humps. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w));
}

/** Same word, or one a short ending away ("forecast"/"forecasts", "search"/"searching"). */
const related = (a: string, b: string) => a === b || (a.length >= 4 && b.length >= 4 && (a.startsWith(b) || b.startsWith(a)) && Math.abs(a.length - b.length) <= 3);

function score(tool: { name: string; description?: string | undefined }, asked: string[], askedText: string): number {
  if (askedText.includes(tool.name.toLowerCase())) return 100;
  const nameWords = new Set(words(tool.name));
  const descWords = new Set(words(tool.description ?? ""));
  let s = 0;
  for (const w of new Set(asked)) {
    if ([...nameWords].some((n) => related(w, n))) s += 3;
    else if ([...descWords].some((d) => related(w, d))) s += 1;
  }
  return s;
}

export function chooseTool(request: ChatRequest): ChosenTool | undefined {
  const tools = request.tools ?? [];
  const choice = request.tool_choice;
  if (tools.length === 0 || choice === "none") return undefined;
  if (choice !== undefined && choice !== "auto") {
    const wanted = typeof choice === "object" ? tools.find((t) => t.function.name === choice.function.name) : tools[0];
    return wanted ? { name: wanted.function.name, parameters: wanted.function.parameters } : undefined;
  }
  // auto: only a user turn can ask for a tool; after a tool result the model answers.
  const last = request.messages.at(-1);
  if (!last || last.role !== "user") return undefined;
  const askedText = contentText(last.content).toLowerCase();
  const asked = words(askedText);
  let best: { tool: (typeof tools)[number]; score: number } | undefined;
  for (const tool of tools) {
    const s = score(tool.function, asked, askedText);
    if (s > 0 && (!best || s > best.score)) best = { tool, score: s };
  }
  // A word of the tool's name (3), or two of its description: one description word alone is too weak a hint.
  return best && best.score >= 2 ? { name: best.tool.function.name, parameters: best.tool.function.parameters } : undefined;
}
