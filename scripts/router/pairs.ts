/**
 * Cheap/strong model pairs the classifier is trained for and evaluated on, with list prices.
 *
 * Why these pairs: on MMLU-Pro, the pairs the data README names (same vendor or family, a real price step):
 * Gemini 1.5 Flash -> Pro, Flash -> GPT-4o (cross-vendor), Llama 3.1 8B -> 70B, Mistral 7B -> Mixtral 8x7B.
 * On LLMRouter (prices from its default_llm.json, $0.20 vs $0.90 per 1M), the strong model is the best on
 * train.json (llama-3.1-nemotron-51b-instruct, 0.621); the cheap ones are the best $0.20 model
 * (llama-3.1-8b-instruct, 0.561, a small gap) and the Mistral 7B of the MMLU-Pro pair (0.371, a wide gap).
 * Chosen from the data README and train.json averages only, before any classifier result was seen.
 */
import type { Dataset, PriceBook } from "./data";

export interface Pair {
  id: string;
  dataset: Dataset;
  cheap: string;
  strong: string;
  /** Keys into the price book (see prices()). */
  cheapPrice: string;
  strongPrice: string;
}

export const PAIRS: readonly Pair[] = [
  { id: "gemini-1.5-flash→gemini-1.5-pro", dataset: "mmlu-pro", cheap: "gemini-1.5-flash-002", strong: "gemini-1.5-pro-002", cheapPrice: "gemini-1.5-flash", strongPrice: "gemini-1.5-pro" },
  { id: "gemini-1.5-flash→gpt-4o", dataset: "mmlu-pro", cheap: "gemini-1.5-flash-002", strong: "gpt-4o-2024-05-13", cheapPrice: "gemini-1.5-flash", strongPrice: "gpt-4o" },
  { id: "llama-3.1-8b→llama-3.1-70b", dataset: "mmlu-pro", cheap: "Meta-Llama-3_1-8B-Instruct", strong: "Meta-Llama-3_1-70B-Instruct", cheapPrice: "llama-3.1-8b-instruct", strongPrice: "llama3-70b-instruct" },
  { id: "mistral-7b→mixtral-8x7b", dataset: "mmlu-pro", cheap: "Mistral-7B-Instruct-v0.2", strong: "Mixtral-8x7B-Instruct-v0.1", cheapPrice: "mistral-7b-instruct-v0.3", strongPrice: "mixtral-8x7b-instruct-v0.1" },
  { id: "llama-3.1-8b→nemotron-51b", dataset: "llmrouter", cheap: "llama-3.1-8b-instruct", strong: "llama-3.1-nemotron-51b-instruct", cheapPrice: "llama-3.1-8b-instruct", strongPrice: "llama-3.1-nemotron-51b-instruct" },
  { id: "mistral-7b→nemotron-51b", dataset: "llmrouter", cheap: "mistral-7b-instruct-v0.3", strong: "llama-3.1-nemotron-51b-instruct", cheapPrice: "mistral-7b-instruct-v0.3", strongPrice: "llama-3.1-nemotron-51b-instruct" },
];

/**
 * Vendor list prices (USD per 1M input/output tokens) for the models LLMRouter's default_llm.json lacks.
 * Gemini 1.5: Google AI for developers pricing (prompts <= 128k tokens). GPT-4o: OpenAI's list price for
 * gpt-4o ($2.50/$10.00); the evaluated 2024-05-13 snapshot was listed higher ($5/$15), so savings
 * against GPT-4o are if anything understated.
 */
export const VENDOR_PRICES: PriceBook = {
  "gemini-1.5-flash": { input: 0.075, output: 0.3, source: "Google list price, Gemini 1.5 Flash" },
  "gemini-1.5-pro": { input: 1.25, output: 5.0, source: "Google list price, Gemini 1.5 Pro" },
  "gpt-4o": { input: 2.5, output: 10.0, source: "OpenAI list price, gpt-4o" },
};

/** LLMRouter gives no output lengths: assume this many output tokens per answer, the same for both models. */
export const LLMROUTER_OUTPUT_TOKENS = 256;

export function priceBook(llmRouterPrices: PriceBook): PriceBook {
  return { ...llmRouterPrices, ...VENDOR_PRICES };
}
