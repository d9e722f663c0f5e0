// Progress of a batch on stderr: a bar redrawn in place on a terminal, plain periodic lines otherwise (logs, CI).

/** Where progress goes: stderr, or a sink that drops it (--quiet). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export const SILENT: ProgressStream = { isTTY: false, write: () => true };

export class BatchProgress {
  private done = 0;
  private readonly started = Date.now();
  private lastLine = Date.now();

  constructor(
    private readonly total: number,
    private readonly out: ProgressStream = process.stderr,
    private readonly intervalMs = 5000,
  ) {}

  tick(): void {
    this.done++;
    const now = Date.now();
    if (this.out.isTTY) {
      if (now - this.lastLine >= 100 || this.done === this.total) {
        this.lastLine = now;
        this.out.write(`\r${this.bar()} ${this.status(now)}\u001b[K`);
      }
      return;
    }
    if (now - this.lastLine >= this.intervalMs) {
      this.lastLine = now;
      this.out.write(`annotate: ${this.status(now)}\n`);
    }
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }

  private bar(): string {
    const width = 24;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  }

  private status(now: number): string {
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const rate = this.done / seconds;
    const eta = rate > 0 ? Math.ceil((this.total - this.done) / rate) : 0;
    const percent = this.total === 0 ? 100 : Math.floor((this.done / this.total) * 100);
    return `${this.done}/${this.total} notes (${percent}%), ${rate.toFixed(0)} notes/s, ETA ${eta}s`;
  }
}
