// Values that scripts/build-explorer.ts puts into the bundle (esbuild `define`).

/** The operations of explorer.graphql by name, each printed as the trusted manifest prints it (src/app/trusted-manifest.ts). */
declare const __EXPLORER_OPERATIONS__: Record<
  "ExplorerSignIn" | "ExplorerMe" | "ExplorerResellers" | "ExplorerProviders" | "ExplorerCustomers" | "ExplorerCustomer" | "ExplorerStats" | "ExplorerEventsHead" | "ExplorerEvents",
  string
>;

declare module "*.css";
