// What to do when the language server process dies: restart it, telling the user the first time only; give up
// (and say so) when it keeps dying, instead of restarting in a loop. No vscode import: unit-tested alone.

export type CrashDecision = 'restart-and-tell' | 'restart-quietly' | 'give-up';

export class CrashPolicy {
  private readonly crashes: number[] = [];
  private told = false;

  constructor(
    private readonly maxCrashes = 4,
    private readonly windowMs = 3 * 60_000,
  ) {}

  onCrash(now: number): CrashDecision {
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0]! > this.windowMs) this.crashes.shift();
    if (this.crashes.length > this.maxCrashes) return 'give-up';
    if (this.told) return 'restart-quietly';
    this.told = true;
    return 'restart-and-tell';
  }

  /** After the user restarts the server by hand, crashes count afresh. */
  reset(): void {
    this.crashes.length = 0;
    this.told = false;
  }
}
