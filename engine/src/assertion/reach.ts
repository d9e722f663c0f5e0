// What reaches one mention: for each category the closest trigger that applies, and the categories some dominant
// trigger reaches. A mention is reached by a few categories at most, so short lists do what maps would; one Reach
// serves a whole call and is emptied for each mention by resetting its counts (a new map per mention, or a list's
// `length = 0`, costs far more than the lookups).
import type { TriggerCategory } from './rules.ts';
import type { TriggerMatch } from './triggers.ts';

export class Reach {
  /** The first `size` entries: `closestTriggers[i]` is the closest trigger of `categories[i]`. */
  private readonly categories: TriggerCategory[] = [];
  private readonly closestTriggers: TriggerMatch[] = [];
  private count = 0;
  /** The first `dominantCount` entries. */
  private readonly dominantCategories: TriggerCategory[] = [];
  private dominantCount = 0;

  clear(): void {
    this.count = 0;
    this.dominantCount = 0;
  }

  /** The number of categories that reach the mention. */
  get size(): number {
    return this.count;
  }

  has(category: TriggerCategory): boolean {
    return this.indexOf(category) >= 0;
  }

  closest(category: TriggerCategory): TriggerMatch | undefined {
    const index = this.indexOf(category);
    return index < 0 ? undefined : this.closestTriggers[index];
  }

  setClosest(category: TriggerCategory, trigger: TriggerMatch): void {
    let index = this.indexOf(category);
    if (index < 0) index = this.count++;
    this.categories[index] = category;
    this.closestTriggers[index] = trigger;
  }

  /** The category no longer reaches the mention (whether it dominates is kept apart: see `undominate`). */
  remove(category: TriggerCategory): void {
    const index = this.indexOf(category);
    if (index < 0) return;
    const last = --this.count;
    this.categories[index] = this.categories[last]!;
    this.closestTriggers[index] = this.closestTriggers[last]!;
  }

  isDominant(category: TriggerCategory): boolean {
    return this.dominantIndexOf(category) >= 0;
  }

  dominate(category: TriggerCategory): void {
    if (this.dominantIndexOf(category) < 0) this.dominantCategories[this.dominantCount++] = category;
  }

  undominate(category: TriggerCategory): void {
    const index = this.dominantIndexOf(category);
    if (index >= 0) this.dominantCategories[index] = this.dominantCategories[--this.dominantCount]!;
  }

  private indexOf(category: TriggerCategory): number {
    for (let i = 0; i < this.count; i++) if (this.categories[i] === category) return i;
    return -1;
  }

  private dominantIndexOf(category: TriggerCategory): number {
    for (let i = 0; i < this.dominantCount; i++) if (this.dominantCategories[i] === category) return i;
    return -1;
  }
}
