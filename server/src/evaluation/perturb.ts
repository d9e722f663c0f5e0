// Perturbations of gold notes for the robustness study of the CancerLLM paper: misspelling (character edits inside
// phenotype words) and counterfactual (a phenotype's text replaced by another phenotype of the same type taken from
// the corpus), each applied to a share of the mentions. The gold is rebuilt with the new offsets, so scoring stays
// exact. Seeded: the same seed, rate and notes give the same perturbed notes.
import type { Mention } from '@cancerllm/protocol';
import type { GoldNote } from './gold.ts';

export type PerturbationKind = 'misspelling' | 'counterfactual';
export type Random = () => number;

/** Groups of mentions sharing exactly one span ("LLL" as site and laterality); overlapping unequal spans are left alone. */
function spanGroups(mentions: readonly Mention[]): Mention[][] {
  const sorted = [...mentions].sort((a, b) => a.start - b.start || a.end - b.end);
  const clusters: Mention[][] = [];
  let clusterEnd = -1;
  for (const m of sorted) {
    if (m.start < clusterEnd) {
      clusters.at(-1)!.push(m);
      clusterEnd = Math.max(clusterEnd, m.end);
    } else {
      clusters.push([m]);
      clusterEnd = m.end;
    }
  }
  return clusters.filter((group) => group.every((m) => m.start === group[0]!.start && m.end === group[0]!.end));
}

/** One character edit (substitute, delete, insert or swap) inside the longest word of the span. */
export function misspell(text: string, random: Random): string {
  const words = [...text.matchAll(/[A-Za-z]{3,}/g)];
  if (words.length === 0) return text;
  const word = words.reduce((best, w) => (w[0].length > best[0].length ? w : best));
  const at = word.index + 1 + Math.floor(random() * (word[0].length - 2));
  const letter = String.fromCharCode(97 + Math.floor(random() * 26));
  const op = Math.floor(random() * 4);
  if (op === 0) return text.slice(0, at) + letter + text.slice(at + 1);
  if (op === 1) return text.slice(0, at) + text.slice(at + 1);
  if (op === 2) return text.slice(0, at) + letter + text.slice(at);
  return text.slice(0, at - 1) + text.charAt(at) + text.charAt(at - 1) + text.slice(at + 1);
}

/** Replacement texts per type, from every note of the corpus (with the value that goes with each). */
export type Donors = Map<string, Array<{ text: string; value: Mention['value'] }>>;

export function collectDonors(notes: readonly GoldNote[]): Donors {
  const donors: Donors = new Map();
  for (const note of notes) {
    for (const group of spanGroups(note.mentions)) {
      if (group.length !== 1) continue;
      const m = group[0]!;
      const list = donors.get(m.type) ?? [];
      if (!list.some((d) => d.text.toLowerCase() === m.text.toLowerCase())) list.push({ text: m.text, value: m.value });
      donors.set(m.type, list);
    }
  }
  return donors;
}

export function perturbNote(note: GoldNote, kind: PerturbationKind, rate: number, random: Random, donors: Donors): GoldNote {
  const groups = spanGroups(note.mentions);
  const untouched = note.mentions.filter((m) => !groups.some((g) => g.includes(m)));
  const pieces: string[] = [];
  const mentions: Mention[] = [];
  let cursor = 0;
  let shift = 0;
  // Mentions outside perturbable groups move by the shift accumulated before them.
  const moved = (m: Mention): Mention => ({ ...m, start: m.start + shiftBefore(m.start), end: m.end + shiftBefore(m.start) });
  const shifts: Array<[number, number]> = [];
  const shiftBefore = (offset: number): number => shifts.filter(([at]) => at <= offset).reduce((sum, [, delta]) => sum + delta, 0);
  for (const group of groups) {
    const first = group[0]!;
    let replacement = first.text;
    let values: Array<Mention['value']> = group.map((m) => m.value);
    if (random() < rate) {
      if (kind === 'misspelling') replacement = misspell(first.text, random);
      else if (group.length === 1) {
        const candidates = (donors.get(first.type) ?? []).filter((d) => d.text.toLowerCase() !== first.text.toLowerCase());
        const donor = candidates[Math.floor(random() * candidates.length)];
        if (donor) {
          replacement = donor.text;
          values = [donor.value];
        }
      }
    }
    pieces.push(note.text.slice(cursor, first.start), replacement);
    const start = first.start + shift;
    group.forEach((m, i) => mentions.push({ ...m, start, end: start + replacement.length, text: replacement, value: values[i] ?? m.value }));
    const delta = replacement.length - first.text.length;
    if (delta !== 0) shifts.push([first.end, delta]);
    shift += delta;
    cursor = first.end;
  }
  pieces.push(note.text.slice(cursor));
  const text = pieces.join('');
  for (const m of untouched) {
    const placed = moved(m);
    mentions.push({ ...placed, text: text.slice(placed.start, placed.end) });
  }
  mentions.sort((a, b) => a.start - b.start || a.end - b.end);
  return { ...note, text, mentions };
}
