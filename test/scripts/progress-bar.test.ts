import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ProgressBar } from "../../scripts/seed-scale/progress.js";

/**
 * Issue 12, point 7: seed:scale's bar sat at 0% for 22 s while Neo4j wrote one batch. The writer
 * now reports per statement (test/scripts/seed-scale.test.ts); the bar itself is drawn again every
 * second with the time elapsed, so it moves during a statement too. Fake timers: no wall clock.
 */
describe("seed:scale progress bar (issue 12, point 7)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function terminal() {
    const lines: string[] = [];
    return { lines, stream: { isTTY: true, write: (text: string) => lines.push(text) > 0 } };
  }

  it("when nothing is reported for 3 s on a terminal, then the bar is drawn again each second with the time elapsed", () => {
    const { lines, stream } = terminal();
    const bar = new ProgressBar("customers", 10_000, "customers", stream);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("0.0%");
    vi.advanceTimersByTime(3_000);
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((line) => /(\d+\.\d) s/.exec(line)?.[1])).toEqual(["1.0", "2.0", "3.0"]);
    vi.advanceTimersByTime(200); // updates are drawn at most every 100 ms
    bar.update(2_500);
    expect(lines.at(-1)).toContain("25.0%");
    expect(lines.at(-1)).toMatch(/3\.2 s, ETA 9\.6 s/); // 2,500 in 3.2 s: 7,500 more in 9.6 s
    bar.finish();
    const drawn = lines.length;
    vi.advanceTimersByTime(5_000);
    expect(lines).toHaveLength(drawn); // a finished bar stays still
  });

  it("when stderr is not a terminal, then there is no ticking: a line per 10%", () => {
    const lines: string[] = [];
    const bar = new ProgressBar("customers", 1_000, "customers", { isTTY: false, write: (text: string) => lines.push(text) > 0 });
    vi.advanceTimersByTime(5_000);
    expect(lines).toHaveLength(1);
    for (let done = 50; done <= 1_000; done += 50) bar.update(done);
    bar.finish();
    expect(lines.map((line) => /(\d+)%/.exec(line)?.[1])).toEqual(["0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100"]);
  });
});
