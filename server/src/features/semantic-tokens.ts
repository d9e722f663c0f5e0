// Semantic tokens colour mentions by type; modifiers carry non-present assertions. The legend's custom types are
// declared in package.json (contributes.semanticTokenTypes) with standard super types, so every theme colours them.
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ASSERTIONS, PHENOTYPE_TYPES, type AnnotatedMention, type PhenotypeType } from '@cancerllm/protocol';

/** "primary_site" → "phenotypePrimarySite". */
export function tokenTypeName(type: PhenotypeType): string {
  return `phenotype${type.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())}`;
}

const MODIFIERS = ASSERTIONS.filter((a) => a !== 'present');

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: PHENOTYPE_TYPES.map(tokenTypeName),
  tokenModifiers: [...MODIFIERS],
};

export function semanticTokens(document: TextDocument, mentions: readonly AnnotatedMention[]): SemanticTokens {
  const data: number[] = [];
  let previousLine = 0;
  let previousChar = 0;
  // Tokens may not overlap: keep the first (longest at a start) of overlapping mentions.
  const sorted = [...mentions].sort((a, b) => a.start - b.start || b.end - a.end);
  let covered = 0;
  for (const mention of sorted) {
    if (mention.start < covered) continue;
    covered = mention.end;
    const typeIndex = PHENOTYPE_TYPES.indexOf(mention.type);
    const modifierIndex = MODIFIERS.indexOf(mention.assertion as (typeof MODIFIERS)[number]);
    const modifiers = modifierIndex < 0 ? 0 : 1 << modifierIndex;
    // A token lives on one line: split multi-line mentions.
    const start = document.positionAt(mention.start);
    const end = document.positionAt(mention.end);
    for (let line = start.line; line <= end.line; line++) {
      const fromChar = line === start.line ? start.character : 0;
      const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      const lineEnd = line === end.line ? end.character : lineText.replace(/\r?\n$|\r$/, '').length;
      const length = Math.max(0, lineEnd - fromChar);
      if (length === 0) continue;
      data.push(line - previousLine, line === previousLine ? fromChar - previousChar : fromChar, length, typeIndex, modifiers);
      previousLine = line;
      previousChar = fromChar;
    }
  }
  return { data };
}
