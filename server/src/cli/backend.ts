// The analyzer a command line run scores or annotates with: the rule engine, or a local or remote model per
// --backend (model options as for `generate`). One place, so eval, robustness and annotate accept the same backends.
import { analyzeNote, type AnalysisResult } from '@cancerllm/engine';
import { analyzeWithModel, openCliModel } from '../llm/cli-model.ts';

type ParsedValues = Record<string, string | boolean | undefined>;

export interface BackendAnalyzer {
  name: string;
  analyze(text: string): Promise<AnalysisResult>;
  dispose(): Promise<void>;
}

export async function openBackendAnalyzer(values: ParsedValues): Promise<{ ok: true; analyzer: BackendAnalyzer } | { ok: false; message: string }> {
  const backend = typeof values.backend === 'string' ? values.backend : 'rules';
  if (backend !== 'onnx' && backend !== 'remote') {
    return { ok: true, analyzer: { name: 'rules', analyze: async (text) => analyzeNote(text), dispose: async () => undefined } };
  }
  const opened = await openCliModel(backend, values);
  if (!opened.ok) return opened;
  const model = opened.cli;
  return {
    ok: true,
    analyzer: { name: backend, analyze: (text) => analyzeWithModel(model, text, new AbortController().signal), dispose: () => model.dispose() },
  };
}
