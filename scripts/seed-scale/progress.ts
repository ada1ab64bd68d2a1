/**
 * A small progress bar on stderr. Hand-written (50 lines) rather than `cli-progress`: one bar at a
 * time is all the seeder needs, and this one also behaves when stderr is a file or a pipe (a
 * plain line every 10% instead of carriage returns), with no new dependency. On a terminal it is
 * drawn again every second (`tickMs`) with the time elapsed, so it moves even while one statement
 * runs (the first one of a phase waits for Neo4j to plan it: seconds on a cold JVM).
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly startedAt = Date.now();
  private readonly tty: boolean;
  private readonly ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit: string,
    private readonly stream: Pick<NodeJS.WriteStream, "write" | "isTTY"> = process.stderr,
    tickMs = 1000,
  ) {
    this.tty = Boolean(stream.isTTY);
    this.draw(true);
    if (this.tty) this.ticker = setInterval(() => this.draw(true), tickMs).unref();
  }

  update(done: number): void {
    this.done = Math.min(done, this.total);
    this.draw(false);
  }

  finish(): void {
    clearInterval(this.ticker);
    this.done = this.total;
    this.draw(true);
    if (this.tty) this.stream.write("\n");
  }

  private draw(force: boolean): void {
    const now = Date.now();
    const fraction = this.total === 0 ? 1 : this.done / this.total;
    if (this.tty) {
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
      this.stream.write(`\r${this.label.padEnd(14)} ${bar} ${(fraction * 100).toFixed(1).padStart(5)}% ${this.stats(now)}\x1b[K`);
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile === this.lastDecile) return; // a line per 10%
      this.lastDecile = decile;
      this.stream.write(`${this.label.padEnd(14)} ${(fraction * 100).toFixed(0).padStart(3)}% ${this.stats(now)}\n`);
    }
  }

  private stats(now: number): string {
    const seconds = (now - this.startedAt) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const left = rate > 0 ? (this.total - this.done) / rate : NaN;
    const eta =
      this.done >= this.total ? `in ${formatDuration(seconds)}` : `${formatDuration(seconds)}${Number.isFinite(left) ? `, ETA ${formatDuration(left)}` : ""}`;
    return `${this.done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")} ${this.unit}  ${Math.round(rate).toLocaleString("en-US")}/s  ${eta}`;
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - 60 * m);
  return `${m} min ${String(s).padStart(2, "0")} s`;
}
