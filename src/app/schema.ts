import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import "../shared/graphql/enums.js";
import { AuditResolver } from "../modules/audit/audit.resolver.js";
import { CustomerResolver } from "../modules/customers/customer.resolver.js";
import { CustomerDelegatedAdminResolver, DelegatedAdminResolver } from "../modules/delegated-admin/delegated-admin.resolver.js";
import { EnrollmentResolver } from "../modules/enrollment/enrollment.resolver.js";
import { ChannelEventsResolver } from "../modules/events/channel-events.resolver.js";
import { EventsResolver } from "../modules/events/events.resolver.js";
import { InvitationResolver } from "../modules/invitations/invitation.resolver.js";
import { LeadResolver } from "../modules/leads/lead.resolver.js";
import { NodeResolver } from "../modules/node/node.resolver.js";
import { OfferResolver } from "../modules/offers/offer.resolver.js";
import { OrderResolver } from "../modules/orders/order.resolver.js";
import { PartnerResolver, ProviderResolver, ResellerResolver } from "../modules/partners/partner.resolver.js";
import { RelationshipResolver } from "../modules/relationships/relationship.resolver.js";
import { Provider, Reseller } from "../modules/partners/partner.type.js";
import { ServiceResolver } from "../modules/service/service.resolver.js";
import { StatsResolver } from "../modules/stats/stats.resolver.js";
import { UserAdminResolver } from "../modules/users/user-admin.resolver.js";
import { UserResolver } from "../modules/users/user.resolver.js";
import { WebhookResolver } from "../modules/webhooks/webhook.resolver.js";

export const resolvers = [
  UserResolver,
  UserAdminResolver,
  EnrollmentResolver,
  PartnerResolver,
  ProviderResolver,
  ResellerResolver,
  CustomerResolver,
  InvitationResolver,
  DelegatedAdminResolver,
  CustomerDelegatedAdminResolver,
  RelationshipResolver,
  OfferResolver,
  OrderResolver,
  ServiceResolver,
  LeadResolver,
  AuditResolver,
  EventsResolver,
  WebhookResolver,
  ChannelEventsResolver,
  StatsResolver,
  NodeResolver,
] as const;

const UNUSED_PUBSUB: PubSub = {
  publish() {
    throw new Error("no PubSub: subscriptions bring their own subscribe function");
  },
  subscribe() {
    throw new Error("no PubSub: subscriptions bring their own subscribe function");
  },
};

/**
 * The executable schema, without authorization (the server wraps it with the permission map).
 * `validate: false`: inputs are checked by hand so that each message names the field and the
 * DOMAIN.md rule it breaks, not a generic class-validator text.
 */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    // Types reachable only through interfaces must be listed, or they would not be emitted.
    orphanedTypes: [Provider, Reseller],
    validate: false,
    // type-graphql asks for a PubSub as soon as there is a @Subscription; channelEvents brings its
    // own `subscribe` (the event hub, src/modules/events/hub.ts), so none is ever used.
    pubSub: UNUSED_PUBSUB,
  });
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show real changes only. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + "\n";
}
