import { existsSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import express from "express";
import helmet from "helmet";
import { LOCAL_DIR } from "../shared/config.js";

/**
 * The self-hosted GraphiQL page (development only): built by scripts/build-graphiql.ts (npm run
 * build:graphiql; npm start runs it when an input changed) from web/graphiql/ and npm packages,
 * served from here with no CDN. Apollo Sandbox stays at /graphql; each links to the other.
 */
export const GRAPHIQL_DIR = join(LOCAL_DIR, "graphiql");
export const GRAPHIQL_FILES = ["index.html", "graphiql.js", "graphiql.css"] as const;
export const GRAPHIQL_PATH = "/graphiql";

/**
 * Only this origin: the page's own script and stylesheet, fetches to /graphql, and its WebSocket
 * to /graphql for subscriptions (D-29). graphiql's CSS inlines its fonts and icons as data: URLs.
 * No inline script or style, no frames, no workers.
 */
const csp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    fontSrc: ["'self'", "data:"],
    imgSrc: ["'self'", "data:"],
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

/**
 * GET /graphiql (the page) and /graphiql/* (its bundle). Before the page is built it answers 503
 * with the command that builds it. The bundle's names do not change between builds, so the
 * browser revalidates (no-cache) rather than keeping a stale copy.
 */
export function graphiqlRoutes(dir = GRAPHIQL_DIR): express.Router {
  const router = express.Router({ strict: false });
  router.use(GRAPHIQL_PATH, csp, (_req, res, next) => {
    res.setHeader("cache-control", "no-cache");
    next();
  });
  router.get([GRAPHIQL_PATH, `${GRAPHIQL_PATH}/`, `${GRAPHIQL_PATH}/index.html`], (_req, res) => {
    if (!existsSync(join(dir, "index.html"))) {
      res
        .status(503)
        .type("text/plain; charset=utf-8")
        .send("The GraphiQL page is not built yet: run `npm run build:graphiql` (npm start builds it), then reload.\n");
      return;
    }
    res.sendFile("index.html", { root: dir, headers: { "content-type": "text/html; charset=utf-8" }, cacheControl: false });
  });
  router.use(
    GRAPHIQL_PATH,
    express.static(dir, {
      index: false,
      dotfiles: "ignore",
      fallthrough: true,
      cacheControl: false,
      etag: true,
      setHeaders(res, path) {
        if (path.endsWith(".js")) res.setHeader("content-type", "text/javascript; charset=utf-8");
        else if (path.endsWith(".css")) res.setHeader("content-type", "text/css; charset=utf-8");
      },
    }),
  );
  return router;
}

/** What the Sandbox page shows when Apollo's CDN cannot be reached, and the link it gets. */
const OFFLINE_NOTE = /(<p>Apollo Sandbox cannot be loaded[^<]*<\/p>)/;
const GRAPHIQL_LINK = `<p>Offline, or Apollo's CDN blocked? <a href="${GRAPHIQL_PATH}">GraphiQL</a>, served by this API, needs no network.</p>`;
/**
 * The (transparent) box that Sandbox's script fills covers the note: while it is empty (the
 * script did not load), it must let clicks through to the link. Added to the page's own
 * nonce'd style element, so its CSP needs no change.
 */
const SANDBOX_BOX = /(\n\s*)#embeddableSandbox \{/;
const LET_CLICKS_THROUGH = "$1#embeddableSandbox:empty { pointer-events: none; }$1#embeddableSandbox {";

/**
 * Apollo's Sandbox landing page with a link to /graphiql: under the "cannot be loaded" note that
 * the page shows when its script did not arrive from the CDN (the embedded Sandbox covers it
 * otherwise). Apollo's plugin has no option for this, so its HTML is edited; when Apollo changes
 * that note, the page is left as it is (test/app/graphiql.test.ts notices).
 */
export function withGraphiqlLink<T extends BaseContext>(landingPage: ApolloServerPlugin<T>): ApolloServerPlugin<T> {
  return {
    ...landingPage,
    async serverWillStart(service) {
      const listener = await landingPage.serverWillStart?.(service);
      if (!listener?.renderLandingPage) return listener;
      const render = listener.renderLandingPage.bind(listener);
      return {
        ...listener,
        async renderLandingPage() {
          const page = await render();
          const html = page.html;
          const link = (text: string) =>
            OFFLINE_NOTE.test(text) ? text.replace(OFFLINE_NOTE, `$1\n  ${GRAPHIQL_LINK}`).replace(SANDBOX_BOX, LET_CLICKS_THROUGH) : text;
          return { html: typeof html === "string" ? link(html) : async () => link(await html()) };
        },
      };
    },
  };
}
