import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/** Debian's chromium (apt-get install -y chromium; .ci/run installs it). Browser tests skip without it. */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

/**
 * Headless chromium through playwright-core, with the flags this machine needs: no sandbox (root),
 * no GPU, and none of chromium's own background connections (this network refuses them). Each
 * launch gets a fresh temporary profile (--user-data-dir) that playwright removes on close.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
