import { join } from "node:path";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import type express from "express";
import { LOCAL_DIR } from "../shared/config.js";
import { pageRoutes } from "./pages.js";

/**
 * The self-hosted GraphiQL page (development only): built by scripts/build-graphiql.ts (npm run
 * build:graphiql; npm start runs it when an input changed) from web/graphiql/ and npm packages,
 * served from here with no CDN. Apollo Sandbox stays at /graphql; each links to the other.
 */
export const GRAPHIQL_DIR = join(LOCAL_DIR, "graphiql");
export const GRAPHIQL_FILES = ["index.html", "graphiql.js", "graphiql.css"] as const;
export const GRAPHIQL_PATH = "/graphiql";

/**
 * GET /graphiql (the page) and /graphiql/* (its bundle), under the pages' CSP (src/app/pages.ts).
 * Before the page is built it answers 503 with the command that builds it.
 */
export function graphiqlRoutes(dir = GRAPHIQL_DIR): express.Router {
  return pageRoutes({
    path: GRAPHIQL_PATH,
    dir,
    notBuilt: "The GraphiQL page is not built yet: run `npm run build:graphiql` (npm start builds it), then reload.",
  });
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
