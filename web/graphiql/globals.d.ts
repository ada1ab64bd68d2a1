// Values that scripts/build-graphiql.ts puts into the bundle (esbuild `define`).

/** The contract's operations (test/contract/operations.graphql, lifecycle.graphql, events.graphql), one tab each, with example variables. */
declare const __CONTRACT_TABS__: { name: string; query: string; variables: string | null }[];
/** The demo users' addresses (src/demo/demo-data.ts), offered by the sign-in form. */
declare const __DEMO_EMAILS__: string[];
/** A hash of the bundle's inputs: the key under which GraphiQL keeps its tabs in localStorage. */
declare const __CONTRACT_HASH__: string;

declare module "*.css";
