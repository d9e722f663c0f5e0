// Sections as the document outline (headers with their synoptic fields as children) and as folding ranges.
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedNote, Section } from '@cancerllm/engine';

export function documentSymbols(document: TextDocument, note: ParsedNote): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  const byIndex = new Map<number, DocumentSymbol>();
  note.sections.forEach((section, index) => {
    if (section.kind === 'preamble' && section.title === '') return;
    const symbol = toSymbol(document, section);
    byIndex.set(index, symbol);
    const parent = byIndex.get(section.parent);
    if (parent) (parent.children ??= []).push(symbol);
    else symbols.push(symbol);
  });
  return symbols;
}

function toSymbol(document: TextDocument, section: Section): DocumentSymbol {
  const end = trimEnd(document.getText(), section.start, section.end);
  return {
    name: section.title || '(untitled)',
    kind: section.kind === 'field' ? SymbolKind.Field : SymbolKind.Namespace,
    range: { start: document.positionAt(section.start), end: document.positionAt(end) },
    selectionRange: { start: document.positionAt(section.titleStart), end: document.positionAt(section.titleEnd) },
  };
}

export function foldingRanges(document: TextDocument, note: ParsedNote): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const section of note.sections) {
    if (section.kind === 'field' || section.title === '') continue;
    const startLine = document.positionAt(section.start).line;
    const endLine = document.positionAt(trimEnd(document.getText(), section.start, section.end)).line;
    if (endLine > startLine) ranges.push({ startLine, endLine, kind: FoldingRangeKind.Region });
  }
  return ranges;
}

/** A section's end without its trailing blank lines, so folds and outline ranges stop at the last text. */
function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text.charAt(e - 1))) e--;
  return e;
}
