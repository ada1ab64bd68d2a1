import neo4j from "neo4j-driver";
import { recordAudit } from "../../shared/audit.js";
import { CAPABILITIES, refusal, type CapabilityId } from "../../shared/auth/capabilities.js";
import type { Viewer } from "../../shared/auth/viewer.js";
import { newLinkToken } from "../../shared/auth/tokens.js";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from "../../shared/errors.js";
import type { ChannelEventDraft } from "../../shared/events.js";
import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { newId } from "../../shared/ids.js";
import { readPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor, Tx } from "../../shared/neo4j/executor.js";
import { countCustomerEdges, countNewPartnership, lockPartnership } from "../../shared/shared-counters.js";
import { countryCode, domain, echo, text } from "../../shared/validation.js";
import type { CustomerRecord } from "../customers/customer.type.js";
import {
  approveRequestedRelationship,
  createRequestedRelationship,
  delegatedAdminApproved,
  delegatedAdminTerminated,
  DEFAULT_TERMS,
  terminateRequestedRelationship,
  type DelegatedAdminTerms,
} from "../delegated-admin/delegated-admin.repository.js";
import type { DelegatedAdminRecord } from "../delegated-admin/delegated-admin.type.js";
import type { PartnerRecord } from "../partners/partner.type.js";
import { partnershipEvent } from "../relationships/relationship.repository.js";
import { customerAcceptedNotice, delegatedAdminApprovedNotice, providerAuthorizedNotice, type DraftSender, type Notice } from "./invitation.mail.js";
import type { RelationshipRequestRecord } from "./invitation.type.js";

/** Relationship links expire 14 days after they are made (D-17; product decision). */
export const LINK_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export type RequestKind = "PROVIDER_RESELLER" | "CUSTOMER_RESELLER" | "CUSTOMER_RESELLER_AND_PROVIDER" | "DELEGATED_ADMIN";

/**
 * What a new request needs that must not change when the driver retries the transaction:
 * id, token and its hash, and the times. Made before `transaction(...)` is called.
 */
export interface PreparedRequest {
  id: string;
  token: string;
  tokenHash: string;
  now: number;
  expiresAt: number;
}

/** `now`: the domain's time (src/shared/clock.ts), as every time the lifecycle writes and compares. */
export function prepareRequest(now: number): PreparedRequest {
  const { token, tokenHash } = newLinkToken();
  return { id: newId("RelationshipRequest"), token, tokenHash, now, expiresAt: now + LINK_TTL_MS };
}

export interface CreatedRequest {
  request: RelationshipRequestRecord;
  sender: DraftSender;
}

interface SenderRow {
  partner: { id: string; kind: "PROVIDER" | "RESELLER"; name: string; mpnId: string };
  inviterName: string;
  inviterEmail: string;
}

async function readSender(tx: Tx, viewer: Viewer): Promise<DraftSender> {
  const [row] = await tx.run<SenderRow>("invitations/sender", { viewerUserId: viewer.userId, viewerPartnerId: viewer.partnerId });
  // The shield let a partner user through, so this only fails if the user vanished meanwhile.
  if (!row) throw new NotFoundError("Your organisation");
  return {
    partnerName: row.partner.name,
    partnerKind: row.partner.kind,
    mpnId: row.partner.mpnId,
    inviterName: row.inviterName,
    inviterEmail: row.inviterEmail,
  };
}

async function insertRequest(
  tx: Tx,
  viewer: Viewer,
  prepared: PreparedRequest,
  fields: { kind: RequestKind; invitedEmail: string; resellerId?: string; providerId?: string; customerId?: string },
): Promise<RelationshipRequestRecord> {
  const [row] = await tx.run<{ request: RelationshipRequestRecord }>("invitations/create", {
    viewerPartnerId: viewer.partnerId,
    viewerUserId: viewer.userId,
    id: prepared.id,
    kind: fields.kind,
    tokenHash: prepared.tokenHash,
    invitedEmail: fields.invitedEmail,
    invitedDomain: fields.invitedEmail.slice(fields.invitedEmail.lastIndexOf("@") + 1),
    now: neo4j.int(prepared.now),
    expiresAt: neo4j.int(prepared.expiresAt),
    resellerId: fields.resellerId ?? null,
    providerId: fields.providerId ?? null,
    customerId: fields.customerId ?? null,
  });
  return row.request;
}

// ------------------------------------------------------------------ creating requests

/** D-9, C13: the caller's provider invites an enrolled, ACTIVE reseller by MPN ID. */
export function createResellerInvitation(
  executor: RequestExecutor,
  viewer: Viewer,
  input: { resellerMpnId: string; email: string },
  prepared: PreparedRequest,
): Promise<CreatedRequest & { resellerName: string }> {
  return executor.transaction("WRITE", async (tx) => {
    const [target] = await tx.run<{ target: { id: string; kind: string; name: string; enrollmentStatus: string } | null; alreadyPartners: boolean }>(
      "invitations/reseller-target",
      { viewerPartnerId: viewer.partnerId, resellerMpnId: input.resellerMpnId },
    );
    const reseller = target?.target;
    if (!reseller) throw new NotFoundError(`input.resellerMpnId: an indirect reseller with MPN ID ${echo(input.resellerMpnId)}`);
    if (reseller.kind !== "RESELLER") {
      throw new BadUserInputError("input.resellerMpnId", "D-9", `MPN ID ${echo(input.resellerMpnId)} belongs to an indirect provider, not an indirect reseller.`);
    }
    if (reseller.enrollmentStatus !== "ACTIVE") {
      throw new BadUserInputError(
        "input.resellerMpnId",
        "D-4",
        `the reseller with MPN ID ${echo(input.resellerMpnId)} is not ACTIVE yet (its enrollment is ${reseller.enrollmentStatus}); only active resellers can be invited.`,
      );
    }
    if (target.alreadyPartners) {
      throw new ConflictError(`${reseller.name} is already one of your indirect resellers (D-9).`, "input.resellerMpnId");
    }
    const sender = await readSender(tx, viewer);
    const request = await insertRequest(tx, viewer, prepared, { kind: "PROVIDER_RESELLER", invitedEmail: input.email, resellerId: reseller.id });
    await recordAudit(tx, { operation: "inviteReseller", viewer, targetIds: [request.id, reseller.id] });
    return { request, sender, resellerName: reseller.name };
  });
}

/**
 * D-14 (providerId null) and D-16 (providerId: one of the caller's indirect providers): a
 * customer invitation to an address, whose domain fixes the customer at acceptance (D-18).
 */
export function createCustomerInvitation(
  executor: RequestExecutor,
  viewer: Viewer,
  input: { email: string; domain: string; providerId: string | null },
  prepared: PreparedRequest,
): Promise<CreatedRequest & { providerName: string | null }> {
  return executor.transaction("WRITE", async (tx) => {
    const [target] = await tx.run<{ provider: { id: string; name: string } | null; alreadyMine: boolean; alreadyProviders: boolean }>(
      "invitations/customer-target",
      { viewerPartnerId: viewer.partnerId, providerId: input.providerId, domain: input.domain },
    );
    if (input.providerId !== null && !target?.provider) throw new NotFoundError("Indirect provider", echo(input.providerId));
    if (input.providerId === null && target?.alreadyMine) {
      throw new ConflictError(`The customer of ${echo(input.domain)} is already your customer (D-14).`, "customerEmail");
    }
    if (input.providerId !== null && target?.alreadyMine && target.alreadyProviders) {
      throw new ConflictError(`The customer of ${echo(input.domain)} is already a customer of both you and ${target.provider!.name} (D-16).`, "customerEmail");
    }
    const sender = await readSender(tx, viewer);
    const kind: RequestKind = input.providerId === null ? "CUSTOMER_RESELLER" : "CUSTOMER_RESELLER_AND_PROVIDER";
    const request = await insertRequest(tx, viewer, prepared, {
      kind,
      invitedEmail: input.email,
      providerId: input.providerId ?? undefined,
    });
    const operation = input.providerId === null ? "requestResellerRelationship" : "inviteCustomerWithProvider";
    await recordAudit(tx, { operation, viewer, targetIds: input.providerId ? [request.id, input.providerId] : [request.id] });
    return { request, sender, providerName: target?.provider?.name ?? null };
  });
}

/**
 * C4, D-25: the caller asks one of its customers (T-2) for granular delegated admin: the request
 * (its link) and the PENDING_APPROVAL relationship it approves, one transaction. The caller's
 * existing relationships with the customer do not matter: several may exist (MODEL.md). The
 * customer has no email address in the graph, so the request goes to `admin@<customer domain>`
 * (product decision).
 */
export function createDelegatedAdminRequest(
  executor: RequestExecutor,
  viewer: Viewer,
  customerId: string,
  prepared: PreparedRequest,
  ask: { relationshipId: string; terms: DelegatedAdminTerms; now: number },
): Promise<CreatedRequest & { customer: { id: string; companyName: string; domain: string }; relationship: DelegatedAdminRecord }> {
  return executor.transaction("WRITE", async (tx) => {
    const [target] = await tx.run<{ customer: { id: string; companyName: string; domain: string } }>("invitations/delegated-admin-target", {
      viewerPartnerId: viewer.partnerId,
      customerId,
    });
    if (!target) throw new NotFoundError("Customer", echo(customerId));
    const sender = await readSender(tx, viewer);
    const request = await insertRequest(tx, viewer, prepared, {
      kind: "DELEGATED_ADMIN",
      invitedEmail: delegatedAdminAddress(target.customer.domain),
      customerId,
    });
    const relationship = await createRequestedRelationship(tx, viewer, {
      id: ask.relationshipId,
      requestId: request.id,
      customerId,
      terms: ask.terms,
      now: ask.now,
    });
    await recordAudit(tx, { operation: "requestDelegatedAdmin", viewer, targetIds: [request.id, customerId, relationship.id] });
    return { request, sender, customer: target.customer, relationship };
  });
}

export function delegatedAdminAddress(customerDomain: string): string {
  return `admin@${customerDomain}`;
}

// ------------------------------------------------------------------ using links

interface LockedByToken {
  /** The sender's primary contact, told of an acceptance (D-24). */
  senderContactEmail: string | null;
  id: string;
  kind: RequestKind;
  status: string;
  expired: boolean;
  invitedDomain: string;
  sender: { id: string; kind: "PROVIDER" | "RESELLER"; name: string };
  resellerId: string | null;
  providerId: string | null;
  targetCustomerId: string | null;
  existingCustomerId: string | null;
}

/** D-17: only a PENDING, unexpired request can be used; anything else is a CONFLICT that says why. */
function assertUsable(request: { status: string; expired: boolean }): void {
  if (request.status === "ACCEPTED") throw new ConflictError("This link was already used: links are single-use (D-17).", "token");
  if (request.status === "REVOKED") throw new ConflictError("This link was revoked by the partner that sent it (D-17).", "token");
  if (request.status === "DECLINED") throw new ConflictError("This invitation was declined (status DECLINED, D-23); its link no longer works (D-17).", "token");
  if (request.status === "EXPIRED" || request.expired) {
    throw new ConflictError("This link has expired (D-17); ask the partner for a new invitation.", "token");
  }
  if (request.status !== "PENDING") throw new ConflictError(`This link cannot be used (status ${request.status}).`, "token");
}

/**
 * D-9, C12: the caller's reseller accepts a provider's invitation addressed to it. A token of
 * another kind or addressed to another reseller reads as not found (T-4).
 */
export function authorizeIndirectProvider(
  executor: RequestExecutor,
  viewer: Viewer,
  tokenHash: string,
  nowMillis: number,
): Promise<{ provider: PartnerRecord; notices: Notice[] }> {
  const now = neo4j.int(nowMillis);
  return executor.transaction("WRITE", async (tx) => {
    const [request] = await tx.run<LockedByToken>("invitations/lock-by-token", { tokenHash, now, domainNow: null });
    if (!request || request.kind !== "PROVIDER_RESELLER" || !request.resellerId || request.resellerId !== viewer.partnerId) {
      throw new NotFoundError("token: a partnership invitation for your organisation");
    }
    assertUsable(request);
    await lockPartnership(tx, request.sender.id, request.resellerId);
    const [row] = await tx.run<{
      provider: PartnerRecord;
      created: boolean;
      providerContactEmail: string | null;
      resellerName: string;
      resellerMpnId: string;
    }>("invitations/authorize-provider", {
      providerId: request.sender.id,
      viewerPartnerId: viewer.partnerId,
      now,
    });
    if (!row) throw new NotFoundError("Provider", request.sender.id);
    if (row.created) await countNewPartnership(tx, request.sender.id, request.resellerId);
    await tx.run("invitations/set-status", { id: request.id, status: "ACCEPTED", now, customerId: null });
    await recordAudit(tx, {
      operation: "authorizeIndirectProvider",
      viewer,
      targetIds: [request.id, request.sender.id],
      // D-28: both sides, subject the reseller (relationships' partnershipEvent). Written for every
      // authorization, as the D-24 mail is: also when the pair's edge already existed (another of
      // the provider's invitations was accepted first, and MERGE made no new edge).
      events: [
        partnershipEvent(
          "PARTNERSHIP_AUTHORIZED",
          row.provider,
          { id: request.resellerId, name: row.resellerName },
          `${row.resellerName} authorized ${row.provider.name} as its indirect provider.`,
        ),
      ],
    });
    // D-24: the provider's primary contact hears of it (mailed by the resolver after commit).
    const notices = row.providerContactEmail
      ? [providerAuthorizedNotice(row.providerContactEmail, row.provider.name, { name: row.resellerName, mpnId: row.resellerMpnId })]
      : [];
    return { provider: row.provider, notices };
  });
}

export interface NewCustomerInput {
  companyName: string;
  domain: string;
  countryCode: string;
}

/** D-18: the profile of a customer new to the graph; its domain must be the invited one. */
function newCustomerProfile(input: NewCustomerInput | null, invitedDomain: string): NewCustomerInput {
  if (!input) {
    throw new BadUserInputError(
      "customer",
      "D-18",
      `no customer of ${invitedDomain} exists yet: give its companyName, domain (${invitedDomain}) and countryCode to create it.`,
    );
  }
  const profile = {
    companyName: text("customer.companyName", input.companyName),
    domain: domain("customer.domain", input.domain),
    countryCode: countryCode("customer.countryCode", input.countryCode),
  };
  if (profile.domain !== invitedDomain) {
    throw new BadUserInputError(
      "customer.domain",
      "D-18",
      `the invitation was sent to an address at ${invitedDomain}, so the customer's domain must be ${invitedDomain}, not ${echo(profile.domain)}.`,
    );
  }
  return profile;
}

/**
 * D-14, D-16, D-17, D-18 (and C4's acceptance): the anonymous holder of a customer link accepts
 * it. One transaction: lock the request, check it, bind the customer of the invited domain,
 * create the reseller relationships, mark the request ACCEPTED, record the event. Any failure
 * rolls all of it back.
 */
export function acceptRelationshipRequest(
  executor: RequestExecutor,
  tokenHash: string,
  customerInput: NewCustomerInput | null,
  prepared: { customerId: string; relationshipId: string; now: number; domainNow: number },
): Promise<{ customer: CustomerRecord; notices: Notice[] }> {
  const now = neo4j.int(prepared.now);
  const domainNow = neo4j.int(prepared.domainNow);
  return executor.transaction("WRITE", async (tx) => {
    const [request] = await tx.run<LockedByToken>("invitations/lock-by-token", { tokenHash, now, domainNow });
    if (!request) throw new NotFoundError("token: a relationship link with this token");
    if (request.kind === "PROVIDER_RESELLER") {
      throw new BadUserInputError(
        "token",
        "D-9",
        "this link is a partnership invitation for a reseller: its global admin accepts it signed in, with authorizeIndirectProvider.",
      );
    }
    assertUsable(request);

    let customer: CustomerRecord;
    const notices: Notice[] = [];
    // D-28: the acceptance's channel events, written with its audit event below.
    const events: ChannelEventDraft[] = [];
    const senderContact = request.senderContactEmail;
    if (request.kind === "DELEGATED_ADMIN") {
      // D-25: the request's relationship becomes ACTIVE now (the domain's clock).
      const approved = await approveRequestedRelationship(tx, request.id, prepared.domainNow);
      if (!approved) {
        throw new ConflictError(
          `${request.sender.name} is no longer a reseller of record of this customer, or ended this delegated admin request; it cannot be accepted (D-25).`,
          "token",
        );
      }
      customer = approved.customer;
      events.push(delegatedAdminApproved(request.sender.id, approved.relationship, customer.companyName));
      if (senderContact) notices.push(delegatedAdminApprovedNotice(senderContact, request.sender.name, customer, approved.relationship));
    } else {
      // D-18: the invited domain fixes the customer; input counts only for a customer new to the graph.
      const profile = request.existingCustomerId ? null : newCustomerProfile(customerInput, request.invitedDomain);
      // D-25: a reseller also gets the default delegated admin relationship (bind-customer).
      const [row] = await tx.run<{ customer: CustomerRecord; delegatedAdminCreated: boolean }>("invitations/bind-customer", {
        senderId: request.sender.id,
        domain: request.invitedDomain,
        customerId: prepared.customerId,
        companyName: profile?.companyName ?? null,
        countryCode: profile?.countryCode ?? null,
        now,
        domainNow,
        relationshipId: prepared.relationshipId,
      });
      if (!row) throw new ConflictError(`${request.sender.name} no longer exists; the invitation cannot be accepted.`, "token");
      customer = row.customer;
      let provider: { providerName: string; providerContactEmail: string | null } | undefined;
      if (request.kind === "CUSTOMER_RESELLER_AND_PROVIDER") {
        const [bound] = await tx.run<{ providerName: string; providerContactEmail: string | null }>("invitations/bind-provider", {
          requestId: request.id,
          senderId: request.sender.id,
          customerId: customer.id,
          now,
        });
        provider = bound;
        if (!bound) {
          throw new ConflictError(
            `The provider named in this invitation is no longer an indirect provider of ${request.sender.name}; nothing was accepted (D-16).`,
            "token",
          );
        }
      }
      // D-28: every partner of record of the customer as the acceptance leaves it (the sender, and
      // for D-16 the provider, among them); subject the customer. The summary names the customer
      // only: another reseller of record may have no partnership with the sender (T-3).
      events.push({
        type: "CUSTOMER_RELATIONSHIP_ACCEPTED",
        subjectId: customer.id,
        summary:
          request.kind === "CUSTOMER_RESELLER_AND_PROVIDER"
            ? `${customer.companyName} accepted a reseller relationship with a reseller and its indirect provider.`
            : `${customer.companyName} accepted a reseller relationship with a partner.`,
        customerId: customer.id,
      });
      // D-25, D-28: the default relationship made by this acceptance is approved by it (the customer
      // accepted D-16's delegated administrator permissions): the reseller's DELEGATED_ADMIN_APPROVED.
      if (row.delegatedAdminCreated) {
        events.push(delegatedAdminApproved(request.sender.id, { id: prepared.relationshipId, ...DEFAULT_TERMS }, customer.companyName));
      }
      // D-24: the inviting partner(s) hear of it: the sender, and for D-16 the provider too.
      if (senderContact) notices.push(customerAcceptedNotice(senderContact, request.sender.name, customer, provider?.providerName ?? null));
      if (provider?.providerContactEmail) {
        notices.push(customerAcceptedNotice(provider.providerContactEmail, provider.providerName, customer, request.sender.name));
      }
    }
    if (request.kind !== "DELEGATED_ADMIN") await countCustomerEdges(tx, [customer.id]);
    await tx.run("invitations/set-status", { id: request.id, status: "ACCEPTED", now, customerId: customer.id });
    await recordAudit(tx, {
      operation: "acceptRelationshipRequest",
      viewer: null,
      partnerId: request.sender.id,
      targetIds: [request.id, customer.id],
      events,
    });
    return { customer, notices };
  });
}

// ------------------------------------------------------------------ revoking and listing

/**
 * The capability that sends each kind of request, which revoking it needs too. The permission map
 * lets any of them through (`canAny("C10", "C13", "C4")`); which one applies is known only once
 * the request is read.
 */
const SENT_WITH: Record<RequestKind, CapabilityId> = {
  PROVIDER_RESELLER: "C13",
  DELEGATED_ADMIN: "C4",
  CUSTOMER_RESELLER: "C10",
  CUSTOMER_RESELLER_AND_PROVIDER: "C10",
};

/** FORBIDDEN when the caller's roles lack the capability that sends a request of this kind. */
function revokeRefusal(viewer: Viewer, kind: RequestKind): ForbiddenError | null {
  const id = SENT_WITH[kind];
  const capability = CAPABILITIES[id];
  if (refusal(viewer, capability) === null) return null;
  return new ForbiddenError(`Revoking a ${kind} request needs ${id} (${capability.title}).`, id);
}

/**
 * C10/C13: the sending organisation revokes its own PENDING, unexpired request (T-1, T-4, D-17).
 * Every other status is final and CONFLICT: ACCEPTED, REVOKED, DECLINED (D-23), EXPIRED.
 */
export function revokeRelationshipRequest(
  executor: RequestExecutor,
  viewer: Viewer,
  id: string,
  nowMillis: number,
  domainNow: number,
): Promise<RelationshipRequestRecord> {
  const now = neo4j.int(nowMillis);
  return executor.transaction("WRITE", async (tx) => {
    const [request] = await tx.run<{ id: string; kind: RequestKind; status: string; expired: boolean }>("invitations/lock-own", {
      viewerPartnerId: viewer.partnerId,
      id,
      now,
    });
    if (!request) throw new NotFoundError("Relationship request", echo(id));
    const refused = revokeRefusal(viewer, request.kind);
    if (refused) throw refused;
    if (request.status === "ACCEPTED") throw new ConflictError("This request was already accepted; it can no longer be revoked.", "id");
    if (request.status === "REVOKED") throw new ConflictError("This request was already revoked.", "id");
    // D-23: declined by the reseller it is addressed to, which is final; revoking must not turn it into REVOKED.
    if (request.status === "DECLINED") throw new ConflictError("This request was declined (status DECLINED, D-23); a declined request is final and cannot be revoked.", "id");
    if (request.status === "EXPIRED" || request.expired) throw new ConflictError("This request has expired; there is nothing to revoke.", "id");
    if (request.status !== "PENDING") throw new ConflictError(`This request cannot be revoked (status ${request.status}); only a PENDING one can (D-17).`, "id");
    const [row] = await tx.run<{ request: RelationshipRequestRecord }>("invitations/set-status", { id, status: "REVOKED", now, customerId: null });
    // D-17, D-25: a revoked DELEGATED_ADMIN request's pending relationship is TERMINATED with it.
    const terminated = request.kind === "DELEGATED_ADMIN" ? await terminateRequestedRelationship(tx, id, domainNow) : null;
    await recordAudit(tx, {
      operation: "revokeRelationshipRequest",
      viewer,
      targetIds: [id],
      // D-28: the pending relationship this revocation terminated, the caller's own (T-1).
      events: terminated ? [delegatedAdminTerminated(viewer.partnerId!, terminated.id, terminated.customerName, "with its revoked request (D-17)")] : [],
    });
    return row.request;
  });
}

export function listRelationshipRequests(
  executor: RequestExecutor,
  viewerPartnerId: string | null,
  status: string | null,
  page: PageRequest,
): Promise<Connection<RelationshipRequestRecord>> {
  return readPage(executor, "invitations/list", { viewerPartnerId, status }, page, (r: RelationshipRequestRecord) => r.createdAt.toISOString());
}
