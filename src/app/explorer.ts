import { join } from "node:path";
import type express from "express";
import { PROJECT_ROOT } from "../shared/config.js";
import { pageRoutes } from "./pages.js";

/**
 * The channel explorer (issue 16): a page for analysts, served by the API in development and in
 * production, built by scripts/build-explorer.ts (`npm run build`; `npm start` rebuilds it when an
 * input changed) from web/explorer/ into dist/explorer/, with no CDN. It runs the API's own
 * operations with the signed-in user's token, so it shows what the API grants that user and no more.
 */
export const EXPLORER_DIR = join(PROJECT_ROOT, "dist", "explorer");
export const EXPLORER_FILES = ["index.html", "explorer.js", "explorer.css"] as const;
export const EXPLORER_PATH = "/explorer";

/** GET /explorer and /explorer/*, under the pages' CSP (src/app/pages.ts); 503 with the build command until built. */
export function explorerRoutes(dir = EXPLORER_DIR): express.Router {
  return pageRoutes({
    path: EXPLORER_PATH,
    dir,
    notBuilt: "The explorer page is not built yet: run `npm run build:explorer` (npm run build and npm start build it), then reload.",
  });
}
