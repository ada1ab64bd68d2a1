import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { BadUserInputError, NotFoundError } from "../../shared/errors.js";
import { CHANNEL_EVENT_TYPES } from "../../shared/events.js";
import { ConnectionArgs, timePageRequest, type Connection } from "../../shared/graphql/connection.js";
import type { ChannelEventType } from "../../shared/graphql/enums.js";
import { newId } from "../../shared/ids.js";
import { logger as defaultLogger } from "../../shared/logger.js";
import { echo, requiredId } from "../../shared/validation.js";
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks } from "./webhook.repository.js";
import { CreateWebhookInput } from "./webhook.input.js";
import { CreateWebhookPayload, Webhook, WebhookDeliveryConnection, type WebhookDeliveryRecord, type WebhookRecord } from "./webhook.type.js";
import { newWebhookSecret, sealSecret, webhookSealingKey } from "./signature.js";
import { asInputError, UrlPolicy } from "./url-policy.js";

/** D-30: at least one event type; each once, in ChannelEventType's order. */
function eventTypes(field: string, events: readonly ChannelEventType[]): ChannelEventType[] {
  if (events.length === 0) throw new BadUserInputError(field, "D-30", "must name at least one event type.");
  const chosen = new Set(events);
  return CHANNEL_EVENT_TYPES.filter((type) => chosen.has(type));
}

@Resolver(() => Webhook)
export class WebhookResolver {
  @Mutation(() => CreateWebhookPayload, {
    description:
      "D-30 (C18): a webhook of the caller's organisation. Its signing secret is in this answer only (T-5). In production the URL must be https and must not resolve to a loopback, private or link-local address.",
  })
  async createWebhook(@Arg("input", () => CreateWebhookInput) input: CreateWebhookInput, @Ctx() ctx: Context): Promise<CreateWebhookPayload> {
    const viewer = caller(ctx);
    const events = eventTypes("input.events", input.events);
    const url = await new UrlPolicy({ production: ctx.config.production }).check(input.url).catch((error: unknown) => {
      throw asInputError("input.url", error, (detail) => defaultLogger.info({ field: "input.url", detail }, "createWebhook: URL refused (D-30)"));
    });
    const id = newId("Webhook");
    const secret = newWebhookSecret();
    const webhook = await createWebhook(ctx.executor, viewer, {
      id,
      url: url.href,
      events,
      secretSealed: sealSecret(webhookSealingKey(ctx.config), id, secret),
      now: ctx.services.clock.now(),
      max: ctx.config.webhooks.maxPerOrganisation,
    });
    return { webhook, secret };
  }

  @Query(() => [Webhook], { description: "D-30 (C18): the caller's organisation's webhooks, newest first (T-1); never their secrets." })
  webhooks(@Ctx() ctx: Context): Promise<WebhookRecord[]> {
    return listWebhooks(ctx.executor, caller(ctx).partnerId);
  }

  @Mutation(() => Webhook, { description: "D-30 (C18): deletes a webhook of the caller's organisation, its pending deliveries and its log." })
  async deleteWebhook(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookRecord> {
    const webhookId = requiredId("id", id);
    const deleted = await deleteWebhook(ctx.executor, caller(ctx), webhookId);
    if (!deleted) throw new NotFoundError("Webhook", echo(webhookId));
    return deleted;
  }

  @Query(() => WebhookDeliveryConnection.connection, {
    description: "D-30 (C18): every attempt to deliver to the webhook, newest first; keyset-paged. Another organisation's webhook: NOT_FOUND (T-4).",
  })
  async webhookDeliveries(
    @Arg("webhookId", () => ID) webhookId: string,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<WebhookDeliveryRecord>> {
    const id = requiredId("webhookId", webhookId);
    const page = await listDeliveries(ctx.executor, caller(ctx).partnerId, id, timePageRequest(args));
    if (!page) throw new NotFoundError("Webhook", echo(id));
    return page;
  }
}
