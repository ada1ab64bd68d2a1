import { existsSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import express from "express";
import helmet from "helmet";

/**
 * The API's own browser pages (src/app/graphiql.ts, src/app/explorer.ts): each a bundle built by
 * esbuild at build time (scripts/web-bundle.ts), served from one folder under one path with no CDN.
 *
 * Their CSP: only this origin: the page's own script and stylesheet, fetches to /graphql, and its
 * WebSocket to /graphql for channelEvents (D-29); fonts and images also as data: URLs (graphiql's
 * CSS inlines its fonts and icons), images as blob: too (an exported PNG). No inline script or
 * style, no frames, no workers.
 */
const pageCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    fontSrc: ["'self'", "data:"],
    imgSrc: ["'self'", "data:", "blob:"],
    // 'self' covers ws: of the same host in CSP 3 browsers only; the page's own ws(s) origin is named too.
    connectSrc: ["'self'", (req) => sameHostWebSocket(req as IncomingMessage)],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

/** ws://<Host> (wss:// behind https) for the page's subscriptions; 'none' of it when the Host header is not a plain host[:port]. */
function sameHostWebSocket(req: IncomingMessage): string {
  const host = req.headers.host ?? "";
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return "'self'";
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true || req.headers["x-forwarded-proto"] === "https";
  return `${secure ? "wss" : "ws"}://${host}`;
}

export interface PageOptions {
  /** Where the page is served, e.g. "/graphiql". */
  path: string;
  /** The built bundle: index.html and its assets. */
  dir: string;
  /** What a request gets while the page is not built: the command that builds it. */
  notBuilt: string;
}

/**
 * GET <path> (the page) and <path>/* (its bundle), under the pages' CSP. Before the page is built
 * it answers 503 with the command that builds it. The bundle's names do not change between builds,
 * so the browser revalidates (no-cache) rather than keeping a stale copy.
 */
export function pageRoutes({ path, dir, notBuilt }: PageOptions): express.Router {
  const router = express.Router({ strict: false });
  router.use(path, pageCsp, (_req, res, next) => {
    res.setHeader("cache-control", "no-cache");
    next();
  });
  router.get([path, `${path}/`, `${path}/index.html`], (_req, res) => {
    if (!existsSync(join(dir, "index.html"))) {
      res.status(503).type("text/plain; charset=utf-8").send(`${notBuilt}\n`);
      return;
    }
    res.sendFile("index.html", { root: dir, headers: { "content-type": "text/html; charset=utf-8" }, cacheControl: false });
  });
  router.use(
    path,
    express.static(dir, {
      index: false,
      dotfiles: "ignore",
      fallthrough: true,
      cacheControl: false,
      etag: true,
      setHeaders(res, file) {
        if (file.endsWith(".js")) res.setHeader("content-type", "text/javascript; charset=utf-8");
        else if (file.endsWith(".css")) res.setHeader("content-type", "text/css; charset=utf-8");
      },
    }),
  );
  return router;
}
