// LLM phenotype extraction for one section of a note: CancerLLM's one question per phenotype (alpaca prompts), or
// one JSON answer listing mentions (chat prompts). Every answer is aligned to an exact span inside the note; what
// cannot be aligned is dropped and counted.
import type { JsonSchema } from '@cancerllm/model-runtime';
import type { AnnotatedMention, PhenotypeType } from '@cancerllm/protocol';
import { ASSERTIONS, PHENOTYPE_TYPES } from '@cancerllm/protocol';
import { alignAnswer, isNoAnswer, type Span } from './align.ts';
import { mentionClaims, parseJsonOutput, type MentionClaim } from './model-output.ts';
import type { PromptSet, TaskPrompt, TemplateFormat } from './prompts.ts';
import { completeText, completeTexts, type TextModel } from './text-model.ts';

export interface SectionExtraction {
  /** Offsets into the whole note; value `{}` (filled from the rule engine's overlapping mention when merged). */
  mentions: AnnotatedMention[];
  /** Answers that named a phenotype but could not be located in the note. */
  unaligned: number;
  /** Output items that were not valid claims (unknown type, no text, no JSON at all). */
  invalid: number;
  /** "phenotype-question@1": recorded with the result. */
  promptId: string;
}

const ANSWER_TOKENS = 32;
const JSON_TOKENS = 512;

/**
 * What the phenotype-json prompt asks for: an array of `{type, text, assertion?}` with a known type and assertion
 * and a non-empty text (no longer than a sentence: spans are minimal). A local model is held to it while decoding.
 */
export const MENTION_LIST_SCHEMA: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      type: { type: 'string', enum: PHENOTYPE_TYPES },
      text: { type: 'string', minLength: 1, maxLength: 200 },
      assertion: { type: 'string', enum: ASSERTIONS },
    },
    required: ['type', 'text'],
  },
};

export async function extractSection(
  model: TextModel,
  prompts: PromptSet,
  format: TemplateFormat,
  note: string,
  section: Span,
  signal: AbortSignal,
): Promise<SectionExtraction> {
  const context = note.slice(section.start, section.end);
  const template = prompts.find('extraction', format);
  if (!template) throw new Error('no extraction prompt in the prompt folder');
  const claims: MentionClaim[] = [];
  let invalid = 0;
  if (template.format === 'alpaca') {
    // the questions of one section share its context: one batch job where the model can batch
    const asked: Array<{ type: PhenotypeType; prompt: TaskPrompt }> = [];
    for (const [type, question] of prompts.questions) {
      const rendered = prompts.render('extraction', 'alpaca', { context, question });
      if (!rendered) break;
      asked.push({ type, prompt: rendered.prompt });
    }
    signal.throwIfAborted();
    const options = { maxNewTokens: ANSWER_TOKENS, stop: ['\n', '###'] };
    const answers = await completeTexts(model, asked.map((q) => q.prompt), options, signal);
    signal.throwIfAborted();
    answers.forEach((written, i) => {
      const answer = firstLine(written);
      const type = asked[i]?.type;
      if (type && !isNoAnswer(answer)) claims.push({ type, text: answer, assertion: 'present' });
    });
  } else {
    const rendered = prompts.render('extraction', 'chat', {
      context,
      types: PHENOTYPE_TYPES as readonly PhenotypeType[],
    });
    if (!rendered) throw new Error('no extraction prompt in the prompt folder');
    const options = { maxNewTokens: JSON_TOKENS, json: MENTION_LIST_SCHEMA };
    const output = parseJsonOutput(await completeText(model, rendered.prompt, options, signal));
    if (output === undefined) invalid++;
    const parsed = mentionClaims(output);
    claims.push(...parsed.claims);
    invalid += parsed.invalid;
  }
  signal.throwIfAborted();
  const mentions: AnnotatedMention[] = [];
  let unaligned = 0;
  for (const claim of claims) {
    const span = alignAnswer(note, claim.text, section);
    if (!span) {
      unaligned++;
      continue;
    }
    const text = note.slice(span.start, span.end);
    mentions.push({
      start: span.start,
      end: span.end,
      text,
      type: claim.type,
      value: {},
      assertion: claim.assertion,
      provenance: { source: model.name },
    });
  }
  return { mentions, unaligned, invalid, promptId: `${template.id}@${template.version}` };
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').trim().replace(/^["']|["']$/g, '');
}
