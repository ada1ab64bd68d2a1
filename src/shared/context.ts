import type { Viewer } from "./auth/viewer.js";
import type { Config } from "./config.js";
import type { Mailer } from "./mail/mailer.js";
import type { RequestExecutor } from "./neo4j/executor.js";

/**
 * Per-request DataLoaders. Modules register their own loaders lazily under a key
 * (`loaders.get("customers", () => ...)`), so this shared layer never imports a module and a
 * request only builds the loaders it uses.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, unknown>();

  get<T>(key: string, create: () => T): T {
    let loader = this.loaders.get(key) as T | undefined;
    if (loader === undefined) {
      loader = create();
      this.loaders.set(key, loader);
    }
    return loader;
  }
}

export interface Services {
  mailer: Mailer;
}

export interface Context {
  requestId: string;
  config: Config;
  viewer: Viewer | null;
  executor: RequestExecutor;
  loaders: LoaderRegistry;
  /** Process-wide services, made by the composition root. */
  services: Services;
}
