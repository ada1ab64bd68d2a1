import neo4j from "neo4j-driver";
import { recordAudit } from "../../shared/audit.js";
import type { Viewer } from "../../shared/auth/viewer.js";
import { ConflictError, NotFoundError } from "../../shared/errors.js";
import type { RequestExecutor, Tx } from "../../shared/neo4j/executor.js";
import { echo } from "../../shared/validation.js";
import type { PartnerProfile, PartnerRecord } from "../partners/partner.type.js";
import type { UserRecord } from "../users/user.type.js";

/** A validated enrollment, ready to be written (enrollment.resolver.ts checks every field). */
export interface NewEnrollment {
  partner: {
    id: string;
    kind: "PROVIDER" | "RESELLER";
    name: string;
    mpnId: string;
    countryCode: string;
    tenantDomain: string;
    addressLine1: string;
    addressCity: string;
    addressPostalCode: string;
    addressCountryCode: string;
    primaryContactName: string;
    primaryContactEmail: string;
    primaryContactPhone: string | null;
    supportEmail: string;
    supportPhone: string | null;
    supportWebsite: string | null;
  };
  admin: { id: string; email: string; displayName: string; passwordHash: string };
  verificationTokenHash: string;
  verificationExpiresAt: Date;
}

interface Conflicts {
  mpnIdTaken: boolean;
  tenantDomainTaken: boolean;
  adminEmailTaken: boolean;
}

function conflictOf(flags: Conflicts, enrollment: NewEnrollment): ConflictError | null {
  if (flags.mpnIdTaken) {
    return new ConflictError(`input.mpnId: MPN ID ${echo(enrollment.partner.mpnId)} is already linked to a partner account (D-2).`, "input.mpnId");
  }
  if (flags.tenantDomainTaken) {
    return new ConflictError(
      `input.tenantDomain: ${enrollment.partner.tenantDomain} is already the tenant of an enrolled partner (product decision: one partner per tenant).`,
      "input.tenantDomain",
    );
  }
  if (flags.adminEmailTaken) {
    return new ConflictError(`input.globalAdmin.email: ${echo(enrollment.admin.email)} is already a user's email.`, "input.globalAdmin.email");
  }
  return null;
}

const isUnnamedConflict = (error: unknown) => error instanceof ConflictError && error.extensions.field === undefined;

/**
 * Writes the partner, its global admin and the audit event in one transaction (D-1..D-5).
 * Uniqueness is checked first for a message naming the field; a concurrent enrollment that
 * slips between check and write hits the constraints, and is then reported the same way.
 */
export async function createEnrollment(
  executor: RequestExecutor,
  enrollment: NewEnrollment,
): Promise<{ partner: PartnerRecord; globalAdmin: UserRecord }> {
  const keys = { mpnId: enrollment.partner.mpnId, tenantDomain: enrollment.partner.tenantDomain, adminEmail: enrollment.admin.email };
  try {
    return await executor.transaction("WRITE", async (tx) => {
      const [flags] = await tx.run<Conflicts>("enrollment/conflicts", keys);
      const conflict = conflictOf(flags, enrollment);
      if (conflict) throw conflict;
      const [row] = await tx.run<{ partner: PartnerRecord; globalAdmin: UserRecord }>("enrollment/create", {
        partner: enrollment.partner,
        admin: enrollment.admin,
        verificationTokenHash: enrollment.verificationTokenHash,
        verificationExpiresAtMs: neo4j.int(enrollment.verificationExpiresAt.getTime()),
      });
      await recordAudit(tx, {
        operation: "enrollPartner",
        viewer: null,
        partnerId: row.partner.id,
        targetIds: [row.partner.id, row.globalAdmin.id],
      });
      return row;
    });
  } catch (error) {
    if (!isUnnamedConflict(error)) throw error;
    const [flags] = await executor.read<Conflicts>("enrollment/conflicts", keys);
    throw conflictOf(flags, enrollment) ?? error;
  }
}

export interface EnrollmentMailTarget {
  partner: PartnerRecord;
  contactEmail: string;
  contactName: string;
}

/**
 * D-4: a pending token moves the partner to UNDER_REVIEW and is spent. An unknown token is
 * NOT_FOUND; a used or expired one is CONFLICT (the partner is found under a lock, so a second
 * concurrent use waits for the first and then sees the token spent).
 */
export async function verifyEnrollmentEmail(executor: RequestExecutor, tokenHash: string, now: Date): Promise<EnrollmentMailTarget> {
  return executor.transaction("WRITE", async (tx) => {
    const [found] = await tx.run<{ id: string; status: string; pending: boolean; expiresAt: Date | null }>("enrollment/lock-by-token", {
      tokenHash,
    });
    if (!found) throw new NotFoundError("This email verification link");
    if (!found.pending) throw new ConflictError("token: this email verification link was already used; the address is verified (D-4).", "token");
    if (found.expiresAt && found.expiresAt.getTime() <= now.getTime()) {
      throw new ConflictError(`token: this email verification link expired at ${found.expiresAt.toISOString()} (D-4).`, "token");
    }
    if (found.status !== "PENDING_EMAIL_VERIFICATION") {
      throw new ConflictError(`token: the enrollment is ${found.status}, not PENDING_EMAIL_VERIFICATION.`, "token");
    }
    const [row] = await tx.run<EnrollmentMailTarget>("enrollment/mark-verified", { partnerId: found.id, tokenHash });
    if (!row) throw new ConflictError("token: this email verification link was already used (D-4).", "token");
    await recordAudit(tx, { operation: "verifyPrimaryContactEmail", viewer: null, partnerId: found.id, targetIds: [found.id] });
    return row;
  });
}

/** The operator's decision (D-4): only an enrollment UNDER_REVIEW can be decided. */
export async function decideEnrollment(
  executor: RequestExecutor,
  viewer: Viewer,
  partnerId: string,
  status: "ACTIVE" | "REJECTED",
  reason: string | null,
): Promise<EnrollmentMailTarget> {
  return executor.transaction("WRITE", async (tx) => {
    const [found] = await tx.run<{ id: string; status: string }>("enrollment/lock-partner", { partnerId });
    if (!found) throw new NotFoundError("Partner", echo(partnerId));
    if (found.status !== "UNDER_REVIEW") {
      throw new ConflictError(
        `partnerId: the enrollment is ${found.status}; only an enrollment UNDER_REVIEW can be approved or rejected (D-4).`,
        "partnerId",
      );
    }
    const [row] = await tx.run<EnrollmentMailTarget>("enrollment/decide", { partnerId, status, reason, operatorUserId: viewer.userId });
    await recordAudit(tx, { operation: "reviewEnrollment", viewer, partnerId, targetIds: [partnerId] });
    return row;
  });
}

/** C9 on the caller's own organisation only (T-1); returns the profile as `partnerProfile` reads it. */
export async function updateSupportContact(
  executor: RequestExecutor,
  viewer: Viewer,
  supportContact: { email: string; phone: string | null; website: string | null },
): Promise<PartnerProfile> {
  const viewerPartnerId = viewer.partnerId;
  if (!viewerPartnerId) throw new NotFoundError("Your organisation");
  return executor.transaction("WRITE", async (tx: Tx) => {
    const [updated] = await tx.run<{ id: string }>("enrollment/update-support-contact", { viewerPartnerId, supportContact });
    if (!updated) throw new NotFoundError("Your organisation");
    const [row] = await tx.run<{ profile: PartnerProfile }>("partners/profile", { viewerPartnerId });
    await recordAudit(tx, { operation: "updatePartnerProfile", viewer, targetIds: [viewerPartnerId] });
    return row.profile;
  });
}
