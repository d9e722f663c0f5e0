// Seeded random text for the differential tests, which compare a narrowed scan with the whole-note scan it
// replaces on many generated texts: the same seed gives the same text, so a failure can be replayed.

/** A pseudo-random source in [0, 1) (a linear congruential generator), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** `fewest` to `fewest + extra - 1` pieces drawn from `pieces`, each followed by a space with chance `spaced`. */
export function randomPieces(
  pieces: readonly string[],
  random: () => number,
  fewest: number,
  extra: number,
  spaced: number,
): string {
  let text = '';
  const count = fewest + Math.floor(random() * extra);
  for (let i = 0; i < count; i++)
    text += pieces[Math.floor(random() * pieces.length)]! + (random() < spaced ? ' ' : '');
  return text;
}
