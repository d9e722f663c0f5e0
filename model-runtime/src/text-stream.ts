// Turns generated token ids into text deltas: holds back text that may still become a stop string or that ends
// in an incomplete UTF-8 sequence, and cuts the text at the first stop string.

export class TextStream {
  private emitted = 0;
  private text = '';
  stopped = false;

  constructor(
    private readonly decode: (ids: readonly number[]) => string,
    private readonly stopStrings: readonly string[],
  ) {}

  /** The full generated text so far (cut at a stop string once one appeared). */
  get fullText(): string {
    return this.text;
  }

  /** Recomputes the text of all generated ids; returns the part that is now safe to show. */
  update(ids: readonly number[]): string {
    if (this.stopped) return '';
    let text = this.decode(ids);
    let cut = -1;
    for (const s of this.stopStrings) {
      const i = s ? text.indexOf(s) : -1;
      if (i >= 0 && (cut < 0 || i < cut)) cut = i;
    }
    if (cut >= 0) {
      text = text.slice(0, cut);
      this.stopped = true;
    }
    this.text = text;
    let safe = text.length;
    if (!this.stopped) {
      if (text.endsWith('\uFFFD')) safe = text.length - 1;
      for (const s of this.stopStrings) {
        for (let n = Math.min(s.length - 1, text.length); n > 0; n--) {
          if (text.endsWith(s.slice(0, n))) {
            safe = Math.min(safe, text.length - n);
            break;
          }
        }
      }
    }
    if (safe <= this.emitted) return '';
    const delta = text.slice(this.emitted, safe);
    this.emitted = safe;
    return delta;
  }

  /** Whatever was held back, once generation ended without a stop string. */
  flush(): string {
    const delta = this.text.slice(this.emitted);
    this.emitted = this.text.length;
    return delta;
  }
}
