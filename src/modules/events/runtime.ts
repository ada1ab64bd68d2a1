import type { Config } from "../../shared/config.js";
import type { Services } from "../../shared/context.js";
import { logger as defaultLogger, type Logger } from "../../shared/logger.js";
import type { Executor } from "../../shared/neo4j/executor.js";
import { EventHub } from "./hub.js";
import { DelegatedAdminExpirySweep } from "./expiry-sweep.js";
import { EventSequencer } from "./sequencer.js";
import { WebhookDispatcher } from "../webhooks/dispatcher.js";

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
  /** DELEGATED_ADMIN_EXPIRING/EXPIRED (D-28): expiry is computed when read, this sweep writes its events (every config.expirySweepMs). */
  readonly expirySweep: DelegatedAdminExpirySweep;
  /** Live subscriptions' fan-out (D-29): follows the numbered events and hands them to this process's subscribers. */
  readonly hub: EventHub;
  /** Webhooks (D-30): fan-out from the numbered events and signed deliveries with retries (WEBHOOK_DELIVERY; tests: `webhooks.runOnce()`). */
  readonly webhooks: WebhookDispatcher;

  constructor(readonly deps: EventRuntimeDeps) {
    this.sequencer = new EventSequencer(deps.executor, {
      intervalMs: deps.config.eventSequencerMs,
      debounceMs: deps.config.eventSequencerDebounceMs,
      spacingMs: deps.config.eventSequencerSpacingMs,
      logger: deps.logger ?? defaultLogger,
    });
    this.expirySweep = new DelegatedAdminExpirySweep(deps.executor, deps.services.clock, {
      intervalMs: deps.config.expirySweepMs,
      logger: deps.logger ?? defaultLogger,
    });
    this.hub = new EventHub(deps.executor, this.sequencer, { pollMs: deps.config.live.pollMs, logger: deps.logger ?? defaultLogger });
    this.webhooks = new WebhookDispatcher({ ...deps, sequencer: this.sequencer });
  }

  start(): void {
    this.sequencer.start();
    this.expirySweep.start();
    this.hub.start();
    this.webhooks.start();
  }

  async stop(): Promise<void> {
    await this.expirySweep.stop();
    await this.hub.stop();
    await this.webhooks.stop();
    await this.sequencer.stop();
  }
}
