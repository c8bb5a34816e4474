/**
 * The prompt-type gate: a cheap rule-based guess of what kind of request a prompt is, so the classifier's
 * head can calibrate each kind on its own (its own offset and its own, non-negative, length slope).
 * Pure, deterministic, linear in the text length (only the clipped head/tail is scanned for markers).
 */
import { clipText } from "../../src/classifier/features";

export const PROMPT_TYPES = ["multiple-choice", "math", "code", "extraction", "chat"] as const;
export type PromptType = (typeof PROMPT_TYPES)[number];

const OPTION_LINE = /^[ \t]*\(?[A-Ja-j][.)][ \t]+\S/gm;
const CODE_MARKERS = /```|\bdef |\bfunction\b|\breturn\b|\bclass [A-Z]|#include|\bimport [a-z]|\bpublic static\b|=>|\bconsole\.|\bprint\(|\bSELECT\b.*\bFROM\b|\bpython\b|\bjavascript\b|\bjava\b|\bc\+\+|\bfunction\(|\bwrite a (?:python |java |c |js )?(?:function|program|script|class|method)\b/gi;
const CODE_REQUEST = /\b(?:write|implement|complete|fix|debug|refactor) (?:a |an |the )?(?:python |java |javascript |typescript |c |c\+\+ |go |rust |sql |bash )?(?:function|program|script|class|method|query|code)\b/i;
const MATH_MARKERS = /\$|\\frac|\\sqrt|\^|\bhow many\b|\bhow much\b|\bcalculate\b|\bcompute\b|\bsolve\b|\bevaluate\b|\bprobability\b|\bequation\b|\bintegral\b|\bderivative\b|\bsum of\b|\bremainder\b|\bpercent\b|\bratio\b|\bfind the (?:value|number|sum|area|length|largest|smallest|least|greatest)\b/gi;
const EXTRACTION_MARKERS = /\bsummari[sz]e\b|\bsummary\b|\bextract\b|\bfrom the (?:following|above|text|passage|document|article)\b|\baccording to the (?:text|passage|article|document|context)\b|\bcontext:|\bpassage:|\barticle:|\btranslate\b|\blist all\b|\bin json\b|\bas json\b/gi;

function count(re: RegExp, s: string, cap: number): number {
  re.lastIndex = 0;
  let n = 0;
  while (n < cap && re.exec(s) !== null) n++;
  return n;
}

/** The prompt's type; rules are tried in order: options, code, extraction, math, else chat. */
export function promptType(text: string): PromptType {
  const s = clipText(text);
  if (count(OPTION_LINE, s, 3) >= 3 || /\bOptions:\s*\n/.test(s)) return "multiple-choice";
  if (count(CODE_MARKERS, s, 2) >= 2 || CODE_REQUEST.test(s)) return "code";
  if (count(EXTRACTION_MARKERS, s, 1) >= 1 && text.length > 400) return "extraction";
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (count(MATH_MARKERS, s, 2) >= 2 || (count(MATH_MARKERS, s, 1) >= 1 && digits >= 2)) return "math";
  return "chat";
}
