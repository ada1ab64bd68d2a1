import neo4j from "neo4j-driver";
import { recordAudit } from "../../shared/audit.js";
import type { Viewer } from "../../shared/auth/viewer.js";
import type { ChannelEventDraft } from "../../shared/events.js";
import { ActiveSubscriptionsConflictError, ConflictError, NotFoundError } from "../../shared/errors.js";
import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { readPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import { deleteCustomerEdge, deletePartnership, lockCustomers, lockPartnership } from "../../shared/shared-counters.js";
import { echo } from "../../shared/validation.js";
import { delegatedAdminTerminated } from "../delegated-admin/delegated-admin.repository.js";
import type { PartnerRecord } from "../partners/partner.type.js";
import type { Recipient } from "./relationship.mail.js";
import type { PartnershipInvitationRecord } from "./relationship.type.js";

/**
 * The D-24 mail's recipient: a partner and its primary contact, which the queries return beside the
 * partner's record (one projection per record: PartnerRecord has no contact), as the invitations'
 * and enrollment's mail do.
 */
function recipient(partner: PartnerRecord, contactName: string | null, contactEmail: string | null): Recipient {
  return { name: partner.name, contactName, contactEmail };
}

// ------------------------------------------------------------------ channel events (D-28)

/**
 * The subject of a partnership's events (PARTNERSHIP_AUTHORIZED, _DECLINED, _ENDED) is the
 * reseller's id, whichever side made the change: a partnership has no id of its own and an event
 * one subject, so one rule for the three. The provider (which has many resellers) learns which of
 * them; the reseller reads the provider's name in the summary, which may name both sides (each
 * sees the other's public profile, T-3). Both sides are concerned.
 */
export function partnershipEvent(
  type: "PARTNERSHIP_AUTHORIZED" | "PARTNERSHIP_DECLINED" | "PARTNERSHIP_ENDED",
  provider: { id: string; name: string },
  reseller: { id: string; name: string },
  summary: string,
): ChannelEventDraft {
  return { type, subjectId: reseller.id, summary, partnerIds: [provider.id, reseller.id] };
}

// ------------------------------------------------------------------ D-20

/**
 * D-20, C17: the caller's organisation ends its reseller relationship with a customer, in one
 * write transaction. What it touches (never a scan of the organisation's customers):
 * 1. the customer node (write lock), then every partner with an edge into it (write lock), then the
 *    customer's subscriptions sold through or ordered by the caller (write lock; D-21 changes wait);
 * 2. the check: still of record (else NOT_FOUND, T-4) and none of those subscriptions ACTIVE (else
 *    CONFLICT with their ids);
 * 3. the caller's RESELLER_OF_RECORD edge into the customer, deleted, and the counts it was in:
 *    the caller's partnerships with the customer's other partners (one less each), the caller's
 *    sharedCustomerCount (one less if the edge was shared), the customer's remaining edges' flags
 *    and their partners' counts (src/shared/shared-counters.ts);
 * 4. the caller's delegated admin relationships with the customer not yet ended -> TERMINATED,
 *    and its PENDING delegated admin requests for it -> REVOKED;
 * 5. one audit event.
 * The customer, its subscriptions and orders, the other partners' edges and the audit trail stay.
 */
export function endCustomerRelationship(
  executor: RequestExecutor,
  viewer: Viewer,
  customerId: string,
  nowMillis: number,
): Promise<{ customerId: string; endedAt: Date }> {
  const now = neo4j.int(nowMillis);
  const scope = { viewerPartnerId: viewer.partnerId, customerId };
  return executor.transaction("WRITE", async (tx) => {
    const [ofRecord] = await tx.run<{ id: string; companyName: string }>("relationships/customer-of-record", scope);
    if (!ofRecord) throw new NotFoundError("Customer", echo(customerId));
    await lockCustomers(tx, [customerId]);
    await tx.run("relationships/lock-own-subscriptions", scope);
    const [check] = await tx.run<{ ofRecord: boolean; activeSubscriptionIds: string[] }>("relationships/end-customer-check", scope);
    // Ended by a concurrent request that committed while this one waited for the locks.
    if (!check?.ofRecord) throw new NotFoundError("Customer", echo(customerId));
    if (check.activeSubscriptionIds.length > 0) {
      const ids = [...check.activeSubscriptionIds].sort();
      throw new ActiveSubscriptionsConflictError(
        `customerId: ${ids.length} subscription(s) of this customer sold through or ordered by your organisation are ACTIVE (${ids.join(", ")}); suspend or cancel them first (D-20, D-21).`,
        ids,
      );
    }
    if (!(await deleteCustomerEdge(tx, viewer.partnerId!, customerId))) throw new NotFoundError("Customer", echo(customerId));
    const [ended] = await tx.run<{ terminatedIds: string[]; revokedRequestIds: string[] }>("relationships/terminate-delegated-admin", { ...scope, now });
    const terminatedIds = ended?.terminatedIds ?? [];
    await recordAudit(tx, {
      operation: "endCustomerRelationship",
      viewer,
      targetIds: [customerId, ...terminatedIds, ...(ended?.revokedRequestIds ?? [])],
      events: [
        // D-28: the customer's partners of record as this change leaves them, and the caller, no
        // longer of record after the delete. The summary names the customer only: every one of
        // them saw it (the caller until now), but another reseller of record may have no
        // partnership with the caller, so the caller is not named (T-3).
        {
          type: "CUSTOMER_RELATIONSHIP_ENDED",
          subjectId: customerId,
          summary: `A partner of record ended its reseller relationship with ${ofRecord.companyName}.`,
          customerId,
          partnerIds: [viewer.partnerId!],
        },
        // D-20's cascade: each relationship it terminated is one event, the caller's own.
        ...terminatedIds.map((id) =>
          delegatedAdminTerminated(viewer.partnerId!, id, ofRecord.companyName, "as the reseller relationship with the customer ended (D-20)"),
        ),
      ],
    });
    return { customerId, endedAt: new Date(nowMillis) };
  });
}

// ------------------------------------------------------------------ D-22

export interface EndedPartnership {
  partnerId: string;
  endedAt: Date;
  me: PartnerRecord;
  other: PartnerRecord;
  /** The other side, to be mailed (D-24). */
  recipient: Recipient;
}

/**
 * D-22 (C12 for a reseller, C13 for a provider): either side ends the partnership, in one write
 * transaction: both organisations locked, the INDIRECT_PROVIDER_OF edge deleted, the counts of the
 * customers the two shared adjusted (only those), the pair's PENDING partnership invitations
 * REVOKED, one audit event. NOT_FOUND when the two have no partnership (T-4). The other side is
 * mailed by the resolver after commit.
 */
export function endPartnership(executor: RequestExecutor, viewer: Viewer, partnerId: string, nowMillis: number): Promise<EndedPartnership> {
  const now = neo4j.int(nowMillis);
  return executor.transaction("WRITE", async (tx) => {
    const [pair] = await tx.run<{ me: PartnerRecord; other: PartnerRecord; otherContactName: string | null; otherContactEmail: string | null }>(
      "relationships/partnership-of",
      { viewerPartnerId: viewer.partnerId, partnerId },
    );
    if (!pair) throw new NotFoundError("Partnership with", echo(partnerId));
    const [providerId, resellerId] = pair.me.kind === "PROVIDER" ? [pair.me.id, pair.other.id] : [pair.other.id, pair.me.id];
    await lockPartnership(tx, providerId, resellerId);
    // Ended by a concurrent request that committed while this one waited for the locks.
    if (!(await deletePartnership(tx, providerId, resellerId))) throw new NotFoundError("Partnership with", echo(partnerId));
    const [revoked] = await tx.run<{ revokedIds: string[] }>("relationships/revoke-partnership-invitations", { providerId, resellerId, now });
    const [provider, reseller] = pair.me.kind === "PROVIDER" ? [pair.me, pair.other] : [pair.other, pair.me];
    await recordAudit(tx, {
      operation: "endPartnership",
      viewer,
      targetIds: [partnerId, ...(revoked?.revokedIds ?? [])],
      events: [partnershipEvent("PARTNERSHIP_ENDED", provider, reseller, `${pair.me.name} ended the partnership between ${provider.name} and ${reseller.name}.`)],
    });
    return {
      partnerId,
      endedAt: new Date(nowMillis),
      me: pair.me,
      other: pair.other,
      recipient: recipient(pair.other, pair.otherContactName, pair.otherContactEmail),
    };
  });
}

// ------------------------------------------------------------------ D-23

/** D-23, C12: the PENDING, unexpired partnership invitations addressed to the caller's reseller, newest first. */
export function listReceivedInvitations(
  executor: RequestExecutor,
  viewerPartnerId: string | null,
  nowMillis: number,
  page: PageRequest,
): Promise<Connection<PartnershipInvitationRecord>> {
  return readPage(executor, "relationships/received-invitations", { viewerPartnerId, now: neo4j.int(nowMillis) }, page, (r: PartnershipInvitationRecord) =>
    r.createdAt.toISOString(),
  );
}

export interface DeclinedInvitation {
  invitation: PartnershipInvitationRecord;
  reseller: PartnerRecord;
  provider: PartnerRecord;
  /** The provider that sent it, to be mailed (D-24). */
  recipient: Recipient;
}

/**
 * D-23, C12: the caller's reseller declines a partnership invitation addressed to it: locked first,
 * then NOT_FOUND unless addressed to the caller (T-4), CONFLICT unless PENDING and unexpired (D-17),
 * then DECLINED with declinedAt (its link then fails: authorizeIndirectProvider accepts only a
 * PENDING request), one audit event. The provider is mailed by the resolver after commit.
 */
export function declinePartnershipInvitation(executor: RequestExecutor, viewer: Viewer, id: string, nowMillis: number): Promise<DeclinedInvitation> {
  const now = neo4j.int(nowMillis);
  return executor.transaction("WRITE", async (tx) => {
    const [locked] = await tx.run<{
      status: string;
      expired: boolean;
      reseller: PartnerRecord;
      provider: PartnerRecord;
      providerContactName: string | null;
      providerContactEmail: string | null;
    }>(
      "relationships/lock-received-invitation",
      { viewerPartnerId: viewer.partnerId, id, now },
    );
    if (!locked) throw new NotFoundError("Partnership invitation", echo(id));
    if (locked.status === "DECLINED") throw new ConflictError("This invitation was already declined (D-23).", "id");
    if (locked.status === "ACCEPTED") throw new ConflictError("This invitation was already accepted (D-9); end the partnership instead (D-22).", "id");
    if (locked.status === "REVOKED") throw new ConflictError("This invitation was revoked by the provider that sent it (D-17).", "id");
    if (locked.status !== "PENDING") throw new ConflictError(`This invitation cannot be declined (status ${locked.status}).`, "id");
    if (locked.expired) throw new ConflictError("This invitation has expired (D-17); there is nothing to decline.", "id");
    const [row] = await tx.run<{ invitation: PartnershipInvitationRecord }>("relationships/decline-invitation", { id, now });
    await recordAudit(tx, {
      operation: "declinePartnershipInvitation",
      viewer,
      targetIds: [id, locked.provider.id],
      events: [
        partnershipEvent("PARTNERSHIP_DECLINED", locked.provider, locked.reseller, `${locked.reseller.name} declined ${locked.provider.name}'s partnership invitation.`),
      ],
    });
    return {
      invitation: row.invitation,
      reseller: locked.reseller,
      provider: locked.provider,
      recipient: recipient(locked.provider, locked.providerContactName, locked.providerContactEmail),
    };
  });
}
