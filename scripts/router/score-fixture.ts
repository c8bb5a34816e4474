/**
 * test/fixtures/classifier-scores.json: fixed prompts with the scores Node computes for them. train.ts
 * regenerates it with every new model; test/node/classifier.test.ts checks Node still gives exactly these
 * scores, and src/classifier/score.test.ts checks workerd gives exactly the same.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PromptInput } from "../../src/classifier/prompt-text";
import { REPO_ROOT } from "../lib/shared-dir";

export const SCORE_FIXTURE_PATH = join(REPO_ROOT, "test", "fixtures", "classifier-scores.json");

export const FIXTURE_PROMPTS: { name: string; prompt: PromptInput }[] = [
  { name: "greeting", prompt: "hi there!" },
  { name: "trivia", prompt: "What is the capital of Australia?" },
  { name: "math proof", prompt: "Prove that for every integer $n \\ge 1$, $\\sum_{k=1}^{n} k^3 = \\left(\\frac{n(n+1)}{2}\\right)^2$." },
  { name: "code", prompt: "Write a Python function that merges k sorted linked lists in O(n log k) time.\n\n```python\nclass ListNode:\n    def __init__(self, val=0, next=None):\n        self.val = val; self.next = next\n```" },
  { name: "multiple choice", prompt: "Which of the following is a prime number?\n\nOptions:\nA. 21\nB. 27\nC. 29\nD. 33" },
  { name: "unicode", prompt: "Erkläre den Unterschied zwischen Übergangsmetallen und Alkalimetallen. 请用中文回答。" },
  { name: "messages with parts", prompt: [
    { role: "system", content: "You are a careful assistant." },
    { role: "user", content: [{ type: "text", text: "What does this chart show about Q3 revenue?" }, { type: "image_url", image_url: { url: "https://example.invalid/c.png" } }] },
    { role: "assistant", content: null },
    { role: "user", content: "And how does it compare with Q2?" },
  ] },
  { name: "long document", prompt: "Summarise this report.\n\n" + "The committee reviewed 42 proposals; budgets rose by 7.5% while headcount fell. ".repeat(200) },
];

export function writeScoreFixture(score: (p: PromptInput) => number, modelVersion: string): void {
  const cases = FIXTURE_PROMPTS.map((c) => ({ ...c, score: score(c.prompt) }));
  writeFileSync(SCORE_FIXTURE_PATH, JSON.stringify({ modelVersion, generatedBy: "npm run train:router (scripts/router/score-fixture.ts)", cases }, null, 1) + "\n");
}
