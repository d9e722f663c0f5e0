// A model's tokenizer and chat template: tokenizer.json through @huggingface/tokenizers, the chat_template of
// tokenizer_config.json through @huggingface/jinja. Construction errors are returned as messages, not thrown.
import { Tokenizer } from '@huggingface/tokenizers';
import { Template } from '@huggingface/jinja';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type TokenizerResult = { ok: true; tokenizer: ChatTokenizer } | { ok: false; message: string };

function tokenString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { content?: unknown }).content === 'string')
    return (v as { content: string }).content;
  return undefined;
}

export class ChatTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly template: Template | undefined,
    private readonly config: Record<string, unknown>,
    /** One past the largest id the tokenizer can produce. */
    readonly vocabSize: number,
  ) {}

  static create(tokenizerJson: unknown, tokenizerConfig: Record<string, unknown>): TokenizerResult {
    if (typeof tokenizerJson !== 'object' || tokenizerJson === null)
      return { ok: false, message: 'tokenizer.json is not a JSON object' };
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (error) {
      return {
        ok: false,
        message: `tokenizer.json cannot be loaded: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    let template: Template | undefined;
    const source = tokenizerConfig.chat_template;
    const text =
      typeof source === 'string'
        ? source
        : Array.isArray(source)
          ? (source as { name?: string; template?: string }[]).find((t) => t.name === 'default')?.template
          : undefined;
    if (text !== undefined) {
      try {
        template = new Template(text);
      } catch (error) {
        return {
          ok: false,
          message: `the chat_template in tokenizer_config.json does not parse: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    }
    let maxId = -1;
    for (const id of tokenizer.get_vocab(true).values()) maxId = Math.max(maxId, id);
    return { ok: true, tokenizer: new ChatTokenizer(tokenizer, template, tokenizerConfig, maxId + 1) };
  }

  get hasChatTemplate(): boolean {
    return this.template !== undefined;
  }

  encode(text: string, options: { addSpecialTokens?: boolean } = {}): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: options.addSpecialTokens ?? true }).ids;
  }

  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    return this.tokenizer.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? true });
  }

  tokenId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /** Renders the chat template; throws (with the template's raise_exception message) on a conversation it rejects. */
  applyChatTemplate(messages: readonly ChatMessage[], options: { addGenerationPrompt?: boolean } = {}): string {
    if (!this.template) throw new Error('this model has no chat_template in tokenizer_config.json');
    return this.template.render({
      messages,
      add_generation_prompt: options.addGenerationPrompt ?? true,
      bos_token: tokenString(this.config.bos_token) ?? '',
      eos_token: tokenString(this.config.eos_token) ?? '',
      unk_token: tokenString(this.config.unk_token) ?? '',
    });
  }

  /** Encodes a rendered chat prompt: the template already wrote the special tokens, so none are added. */
  encodeChat(messages: readonly ChatMessage[]): number[] {
    return this.encode(this.applyChatTemplate(messages), { addSpecialTokens: false });
  }
}
