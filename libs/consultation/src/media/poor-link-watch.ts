/**
 * Acts once when a stream's score stays at or below `poorScore` for `forMs`. mediasoup reports a
 * consumer's score only when it changes, so a score that drops and stays low is reported once:
 * a timer, not the next report, decides that the drop lasted. A score above `poorScore` ends the
 * drop (and a later drop may act again).
 */
export class PoorLinkWatch {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly acted = new Set<string>();

  constructor(
    private readonly poorScore: number,
    private readonly forMs: number,
    private readonly act: (id: string) => void,
  ) {}

  score(id: string, score: number): void {
    if (score > this.poorScore) {
      this.forget(id);
      return;
    }
    if (this.timers.has(id) || this.acted.has(id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.acted.add(id);
      this.act(id);
    }, this.forMs);
    timer.unref();
    this.timers.set(id, timer);
  }

  /** The stream is gone (or recovered). */
  forget(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.acted.delete(id);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.acted.clear();
  }
}
