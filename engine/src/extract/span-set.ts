// Spans already claimed by an extractor, with overlap queries in O(log n + k) instead of a scan of every earlier
// span, so a note with a hundred thousand mentions costs no more per mention than a short one.

/** Index of the first element of the ascending array `values` that is >= `target`. */
export function lowerBound(values: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SpanSet {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** The longest span held: spans starting more than this before a point cannot reach it. */
  private maxLength = 0;

  add(start: number, end: number): void {
    const at = lowerBound(this.starts, start);
    this.starts.splice(at, 0, start);
    this.ends.splice(at, 0, end);
    if (end - start > this.maxLength) this.maxLength = end - start;
  }

  /** True when some held span overlaps [start, end) (a zero-length query is a point: [start, start + 1)). */
  overlaps(start: number, end: number): boolean {
    const queryEnd = Math.max(end, start + 1);
    for (let i = lowerBound(this.starts, queryEnd) - 1; i >= 0 && this.starts[i]! >= start - this.maxLength; i--) {
      if (this.ends[i]! > start) return true;
    }
    return false;
  }

  /** Held spans whose end lies in [from, to], in order of start. */
  endingIn(from: number, to: number): Array<[number, number]> {
    const found: Array<[number, number]> = [];
    for (let i = lowerBound(this.starts, from - this.maxLength); i < this.starts.length && this.starts[i]! <= to; i++) {
      const end = this.ends[i]!;
      if (end >= from && end <= to) found.push([this.starts[i]!, end]);
    }
    return found;
  }
}

/** Items of `sorted` (ascending by start) whose start lies in [from, to). */
export function startingIn<T extends { start: number }>(sorted: readonly T[], from: number, to: number): T[] {
  const found: T[] = [];
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < sorted.length && sorted[i]!.start < to; i++) found.push(sorted[i]!);
  return found;
}
