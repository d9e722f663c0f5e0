// Fuzzes the phenotype engine: every case must return without throwing, with spans inside the text whose `text`
// equals the slice, and the same result when run twice. Returns the failures (empty when all held).
import { analyzeNote } from '@cancerllm/engine';
import { mutatedNote, prng, seedNotes } from './generators.ts';

export interface FuzzFailure {
  seed: number;
  case: number;
  problem: string;
}

export function fuzzEngine(cases: number, seed: number): FuzzFailure[] {
  const random = prng(seed);
  const seeds = seedNotes();
  const failures: FuzzFailure[] = [];
  for (let i = 0; i < cases && failures.length < 10; i++) {
    const text = mutatedNote(random, seeds);
    try {
      const first = analyzeNote(text);
      for (const m of first.mentions) {
        if (!(m.start >= 0 && m.end <= text.length && m.start < m.end)) failures.push({ seed, case: i, problem: `span ${m.start}-${m.end} outside a text of ${text.length}` });
        else if (text.slice(m.start, m.end) !== m.text) failures.push({ seed, case: i, problem: `text of ${m.start}-${m.end} is not the slice` });
      }
      if (i % 10 === 0 && JSON.stringify(analyzeNote(text)) !== JSON.stringify(first)) failures.push({ seed, case: i, problem: 'a second run differs' });
    } catch (error) {
      failures.push({ seed, case: i, problem: `threw ${error instanceof Error ? error.name : 'a non-error'}` });
    }
  }
  return failures;
}
