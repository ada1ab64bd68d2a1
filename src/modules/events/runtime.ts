import type { Config } from "../../shared/config.js";
import type { Services } from "../../shared/context.js";
import { logger as defaultLogger, type Logger } from "../../shared/logger.js";
import type { Executor } from "../../shared/neo4j/executor.js";
import { EventSequencer } from "./sequencer.js";

export interface EventRuntimeDeps {
  config: Config;
  executor: Executor;
  services: Services;
  logger?: Logger;
}

/**
 * What runs in the background of one API process for channel events (D-28..D-30), started by
 * startApp and stopped by its close(): the sequencer (numbers committed events). Nothing here
 * runs inside a request: a request only writes its events (recordAudit) and kicks the sequencer
 * after commit.
 */
export class EventRuntime {
  readonly sequencer: EventSequencer;

  constructor(readonly deps: EventRuntimeDeps) {
    this.sequencer = new EventSequencer(deps.executor, { logger: deps.logger ?? defaultLogger });
  }

  start(): void {
    this.sequencer.start();
  }

  async stop(): Promise<void> {
    await this.sequencer.stop();
  }
}
