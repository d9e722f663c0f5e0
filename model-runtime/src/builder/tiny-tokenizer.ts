// Trains a small Mistral/Llama-style BPE tokenizer.json ("▁" word prefix, byte fallback, <s> </s> [INST] [/INST])
// on an embedded clinical corpus, padded to an exact vocabulary size, for models built from random weights.
// Encoding and decoding are always done by @huggingface/tokenizers; this only writes the vocabulary and merges.

const CORPUS = `
The patient presented with a palpable breast mass and was referred for biopsy. Pathology showed invasive ductal
carcinoma, estrogen receptor positive, HER2 negative. The tumor measured two centimeters. Lymph nodes were negative.
She received neoadjuvant chemotherapy followed by surgery and radiation therapy. Follow-up imaging showed no evidence
of recurrence. Lung cancer screening with low-dose computed tomography is recommended for high-risk patients.
Colorectal cancer screening should begin at age forty-five. The oncologist discussed treatment options, including
immunotherapy, targeted therapy and clinical trials. Metastatic disease was found in the liver and bones.
What is the stage of the cancer? The cancer is stage two. Please summarize the pathology report for the patient.
`;

export const SPECIAL_TOKENS = ['<unk>', '<s>', '</s>', '[INST]', '[/INST]'] as const;

export const MISTRAL_CHAT_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}" +
  "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
  "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}" +
  "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}" +
  "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

export interface TokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
}

function trainMerges(vocab: Map<string, number>, vocabSize: number): string[] {
  const counts = new Map<string, number>();
  for (const w of CORPUS.replace(/\s+/g, ' ').trim().split(' ')) counts.set(`▁${w}`, (counts.get(`▁${w}`) ?? 0) + 1);
  const chars = new Set<string>(['▁']);
  for (const w of counts.keys()) for (const ch of w) chars.add(ch);
  for (const ch of [...chars].sort()) if (vocab.size < vocabSize) vocab.set(ch, vocab.size);
  let words = [...counts.entries()].map(([w, n]) => ({ syms: [...w], n }));
  const merges: string[] = [];
  while (vocab.size < vocabSize) {
    const pairs = new Map<string, number>();
    for (const { syms, n } of words) {
      for (let i = 0; i + 1 < syms.length; i++) {
        const key = `${syms[i]}\u0000${syms[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + n);
      }
    }
    let best = '';
    let bestN = 0;
    for (const [k, n] of pairs) if (n > bestN || (n === bestN && k < best)) [best, bestN] = [k, n];
    if (!best) break;
    const [a = '', b = ''] = best.split('\u0000');
    merges.push(`${a} ${b}`);
    if (!vocab.has(a + b)) vocab.set(a + b, vocab.size);
    words = words.map(({ syms, n }) => {
      const out: string[] = [];
      for (let i = 0; i < syms.length; i++) {
        if (i + 1 < syms.length && syms[i] === a && syms[i + 1] === b) {
          out.push(a + b);
          i++;
        } else out.push(syms[i] ?? '');
      }
      return { syms: out, n };
    });
  }
  return merges;
}

/** vocabSize must be at least 300 (specials, 256 bytes, the corpus characters). */
export function trainTinyTokenizer(vocabSize: number): TokenizerFiles {
  const vocab = new Map<string, number>();
  SPECIAL_TOKENS.forEach((t) => vocab.set(t, vocab.size));
  for (let b = 0; b < 256; b++) vocab.set(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, vocab.size);
  const merges = trainMerges(vocab, vocabSize);
  for (let i = 0; vocab.size < vocabSize; i++) vocab.set(`<filler_${i}>`, vocab.size);
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
  const tokenizerConfig = {
    add_bos_token: true,
    add_eos_token: false,
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    pad_token: null,
    clean_up_tokenization_spaces: false,
    legacy: false,
    model_max_length: 32768,
    tokenizer_class: 'LlamaTokenizer',
    chat_template: MISTRAL_CHAT_TEMPLATE,
  };
  return { tokenizerJson, tokenizerConfig };
}
