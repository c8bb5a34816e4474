/**
 * Loads the shared routing data (never copied into the repo) into one list of prompts with
 * per-model quality, in the form the gateway would see them: the prompt text a user would send.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type Dataset = "mmlu-pro" | "llmrouter";
/** Where an item comes from: MMLU-Pro (split by us), LLMRouter train.json (split by us), LLMRouter test.json (held out as given). */
export type Origin = "mmlu" | "lr-train" | "lr-test";

export interface Item {
  /** Stable unique key, e.g. "mmlu:70", "lr-train:12", "lr-test:3". */
  key: string;
  dataset: Dataset;
  origin: Origin;
  /** The prompt as a user would send it (MMLU-Pro: question plus lettered options). */
  text: string;
  /** The question without options, used to find near-duplicates across datasets. */
  stem: string;
  /** Quality per model in [0,1]; missing when the model was not run. */
  quality: Record<string, number | undefined>;
  /** Output length in characters per model (MMLU-Pro only). */
  outputChars: Record<string, number | undefined>;
}

export interface PriceBook {
  [model: string]: { input: number; output: number; source: string };
}

const LETTERS = "ABCDEFGHIJKLMNOP";

/** MMLU-Pro question as a chat prompt: the question, then one "A. option" line per option. */
export function mmluPromptText(question: string, options: readonly string[]): string {
  const lines = options.map((o, i) => `${LETTERS[i] ?? "?"}. ${o}`);
  return `${question}\n\nOptions:\n${lines.join("\n")}`;
}

function readCsv(path: string): { header: string[]; rows: Map<number, string[]> } {
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l !== "");
  const header = (lines[0] ?? "").split(",");
  const rows = new Map<number, string[]>();
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    rows.set(Number(cells[0]), cells);
  }
  return { header, rows };
}

function columns(csv: { header: string[]; rows: Map<number, string[]> }, id: number): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  const row = csv.rows.get(id);
  if (!row) return out;
  for (let i = 1; i < csv.header.length; i++) {
    const cell = row[i];
    out[csv.header[i] as string] = cell === undefined || cell === "" ? undefined : Number(cell);
  }
  return out;
}

interface MmluQuestion { question_id: number; question: string; options: string[] }
interface LrRow { question: string; scores: Record<string, number> }

export function loadItems(dataDir: string): Item[] {
  const items: Item[] = [];
  const correctness = readCsv(join(dataDir, "mmlu-pro", "correctness.csv"));
  const outChars = readCsv(join(dataDir, "mmlu-pro", "output_chars.csv"));
  for (const line of readFileSync(join(dataDir, "mmlu-pro", "questions.jsonl"), "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const q = JSON.parse(line) as MmluQuestion;
    items.push({
      key: `mmlu:${q.question_id}`,
      dataset: "mmlu-pro",
      origin: "mmlu",
      text: mmluPromptText(q.question, q.options),
      stem: q.question,
      quality: columns(correctness, q.question_id),
      outputChars: columns(outChars, q.question_id),
    });
  }
  for (const [file, origin] of [["train.json", "lr-train"], ["test.json", "lr-test"]] as const) {
    const rows = JSON.parse(readFileSync(join(dataDir, "llmrouter", file), "utf8")) as LrRow[];
    rows.forEach((r, i) => {
      items.push({ key: `${origin}:${i}`, dataset: "llmrouter", origin, text: r.question, stem: r.question, quality: { ...r.scores }, outputChars: {} });
    });
  }
  return items;
}

/** List prices in USD per 1M tokens from LLMRouter's default_llm.json, keyed by its model names. */
export function loadLlmRouterPrices(dataDir: string): PriceBook {
  const raw = JSON.parse(readFileSync(join(dataDir, "llmrouter", "default_llm.json"), "utf8")) as Record<string, { input_price: number; output_price: number }>;
  const book: PriceBook = {};
  for (const [name, v] of Object.entries(raw)) book[name] = { input: v.input_price, output: v.output_price, source: `llmrouter/default_llm.json "${name}"` };
  return book;
}
