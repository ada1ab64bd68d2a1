import "reflect-metadata";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recheckedTypes } from "../../src/modules/events/channel-events.resolver.js";
import { LiveEventStream, LiveStreamEnded, type SequencedEvent } from "../../src/modules/events/hub.js";
import type { Viewer } from "../../src/shared/auth/viewer.js";
import type { ChannelEventTypeName } from "../../src/shared/events.js";
import { startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";
import { subscribe as subscribeAt, writeEvent as writeEventAt, type Subscriber } from "../support/live.js";

/**
 * Long-lived channelEvents subscriptions check their caller again (D-29, D-28, T-6, D-4;
 * src/app/subscriptions.ts): every LIVE_RECHECK_MS (200 ms in this file's app) each connection
 * that runs subscriptions has its viewer read again, and at the token's `exp` a timer closes it.
 * A revoked token (password reset) or a removed user: the connection is closed 4403, as a bad
 * token at connection_init. Roles that read no event type, or an organisation no longer ACTIVE:
 * the subscription ends with FORBIDDEN (a last `next` with the error, then `complete`).
 * "No further event" is shown without sleeping: a control subscriber of the same organisation
 * receives a marker written after the change, and the hub delivers in seq order.
 */

const JWT_SECRET = `live-recheck-${"x".repeat(40)}`;
const WAIT = { timeout: 15_000, interval: 50 };

let app: TestApp;
let channel: Channel;
let other: Channel;
const tokenOf = tokenGetter(() => app, () => channel.password);

beforeAll(async () => {
  app = await startTestApp({ LIVE_RECHECK_MS: "200", JWT_SECRET });
  const tag = uniqueTag();
  channel = await createChannel(app, tag);
  other = await createChannel(app, `${tag}r`);
});
afterAll(async () => {
  await channel?.remove();
  await other?.remove();
  await app?.close();
});

/** A subscriber of this file's app, live from now. */
function subscribe(token: string): Subscriber {
  return subscribeAt(app.url, token);
}

/** One event concerning `partnerId`, written as a mutation writes it, then numbered: its id. */
async function writeEvent(partnerId: string, type: ChannelEventTypeName = "ORDER_SUBMITTED"): Promise<string> {
  return (await writeEventAt(app, partnerId, type)).id;
}

async function userId(email: string): Promise<string> {
  const [row] = await app.cypher<{ id: string }>("MATCH (u:User {email: $email}) RETURN u.id AS id", { email });
  return row.id;
}

/** A subscriber and a control subscriber of the same organisation, both live and both receiving a first event. */
async function liveWithControl(subjectEmail: string, controlEmail: string, partnerId: string, password = channel.password) {
  const before = app.events.hub.size;
  const subject = subscribe(await tokenOf(subjectEmail, password));
  const control = subscribe(await tokenOf(controlEmail, password));
  await vi.waitFor(() => expect(app.events.hub.size).toBe(before + 2), WAIT);
  const first = await writeEvent(partnerId);
  await vi.waitFor(() => expect(subject.messages.map((m) => m.event.id)).toEqual([first]), WAIT);
  await vi.waitFor(() => expect(control.messages.map((m) => m.event.id)).toEqual([first]), WAIT);
  return { subject, control, before };
}

/** Closes the clients and waits until their streams have left the hub (the next test counts from there). */
async function closeAll(before: number, ...subscribers: Subscriber[]): Promise<void> {
  for (const subscriber of subscribers) await subscriber.close();
  await vi.waitFor(() => expect(app.events.hub.size).toBe(before), WAIT);
}

/** After the change: a marker reaches the control subscriber and not the subject (the hub delivers in seq order). */
async function expectNoFurtherEvent(subject: Subscriber, control: Subscriber, partnerId: string): Promise<void> {
  const marker = await writeEvent(partnerId);
  await vi.waitFor(() => expect(control.messages.map((m) => m.event.id)).toContain(marker), WAIT);
  expect(subject.messages).toHaveLength(1);
}

describe("a live subscription whose caller changes (LIVE_RECHECK_MS)", () => {
  it("when the subscriber's roles are changed to none through the API, then its subscription ends with FORBIDDEN and it receives no further event", async () => {
    const { subject, control, before } = await liveWithControl(channel.providerUsers.aa, channel.providerUsers.ga, channel.provider.id);
    const changed = await app.op(
      "UpdateUserRoles",
      { userId: await userId(channel.providerUsers.aa), agentRole: "NONE", adminRole: "NONE" },
      await tokenOf(channel.providerUsers.ga),
    );
    expect(changed.errors).toBeUndefined();
    await vi.waitFor(() => expect(subject.completed).toBe(true), WAIT);
    expect(subject.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    // The subject's stream left the hub; the control's did not.
    await vi.waitFor(() => expect(app.events.hub.size).toBe(before + 1), WAIT);
    await expectNoFurtherEvent(subject, control, channel.provider.id);
    expect(control.errors).toEqual([]);
    await closeAll(before, subject, control);
  });

  it("when the subscriber's password is reset by its global admin (the session version: its tokens revoked), then its connection is closed 4403 and it receives no further event", async () => {
    const { subject, control, before } = await liveWithControl(channel.providerUsers.sa, channel.providerUsers.ga, channel.provider.id);
    const reset = await app.op("ResetUserPassword", { userId: await userId(channel.providerUsers.sa) }, await tokenOf(channel.providerUsers.ga));
    expect(reset.errors).toBeUndefined();
    await vi.waitFor(() => expect(subject.failure).toMatchObject({ code: 4403 }), WAIT);
    await expectNoFurtherEvent(subject, control, channel.provider.id);
    expect(control.failure).toBeNull();
    await closeAll(before, subject, control);
  });

  it("when the subscriber is removed through the API, then its connection is closed 4403 and it receives no further event", async () => {
    const { subject, control, before } = await liveWithControl(channel.resellerUsers.ha, channel.resellerUsers.ga, channel.reseller.id);
    const removed = await app.op("RemoveUser", { userId: await userId(channel.resellerUsers.ha) }, await tokenOf(channel.resellerUsers.ga));
    expect(removed.errors).toBeUndefined();
    await vi.waitFor(() => expect(subject.failure).toMatchObject({ code: 4403 }), WAIT);
    await expectNoFurtherEvent(subject, control, channel.reseller.id);
    await closeAll(before, subject, control);
  });

  it("when the subscriber's organisation is no longer ACTIVE, then its subscriptions end with FORBIDDEN (D-4) and a new one is refused the same way", async () => {
    const before = app.events.hub.size;
    const subject = subscribe(await tokenOf(other.resellerUsers.ga, other.password));
    await vi.waitFor(() => expect(app.events.hub.size).toBe(before + 1), WAIT);
    await app.cypher("MATCH (p:Partner {id: $id}) SET p.enrollmentStatus = 'UNDER_REVIEW'", { id: other.reseller.id });
    try {
      await vi.waitFor(() => expect(subject.completed).toBe(true), WAIT);
      expect(subject.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(subject.messages).toEqual([]);
      await vi.waitFor(() => expect(app.events.hub.size).toBe(before), WAIT);
      const again = subscribe(await tokenOf(other.resellerUsers.ga, other.password));
      await vi.waitFor(() => expect(again.completed).toBe(true), WAIT);
      expect(again.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      await again.close();
    } finally {
      await app.cypher("MATCH (p:Partner {id: $id}) SET p.enrollmentStatus = 'ACTIVE'", { id: other.reseller.id });
    }
    await closeAll(before, subject);
  });

  it("when the connection's token expires, then the connection is closed 4403 (the token's exp is wall-clock time: a token of a few seconds)", async () => {
    const [user] = await app.cypher<{ id: string; sv: number }>("MATCH (u:User {email: $email}) RETURN u.id AS id, toInteger(coalesce(u.sessionVersion, 0)) AS sv", {
      email: other.providerUsers.aa,
    });
    const token = await new SignJWT({ sv: Number(user.sv) })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(user.id)
      .setIssuer("csp-channel-api")
      .setAudience("csp-channel-api")
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 3)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const before = app.events.hub.size;
    const subject = subscribe(token);
    await vi.waitFor(() => expect(subject.failure).toMatchObject({ code: 4403 }), WAIT);
    expect(subject.errors).toEqual([]);
    await closeAll(before, subject);
  });
});

describe("the recheck's effect on one stream", () => {
  const viewer = (agentRole: Viewer["agentRole"], adminRole: Viewer["adminRole"], partnerStatus: Viewer["partnerStatus"] = "ACTIVE"): Viewer => ({
    userId: "u",
    email: "u@example.test",
    agentRole,
    adminRole,
    mustChangePassword: false,
    isOperator: false,
    partnerId: "p",
    partnerKind: "PROVIDER",
    partnerStatus,
  });
  const event = (seq: number, type: string): SequencedEvent => ({ id: `e${seq}`, type: type as SequencedEvent["type"], at: new Date(), subjectId: "s", summary: "", seq });

  it("when the user still reads the stream's types, then it keeps them; when it reads none, or its organisation is not ACTIVE, or T-6, then the recheck ends it with the feed's codes", () => {
    const current = new Set(["ORDER_SUBMITTED", "PARTNERSHIP_ENDED"]);
    expect(recheckedTypes(viewer("HELPDESK_AGENT", "NONE"), current)).toEqual(current);
    expect(recheckedTypes(viewer("NONE", "USER_MANAGEMENT_ADMIN"), current)).toMatchObject({ extensions: { code: "FORBIDDEN" } });
    expect(recheckedTypes(viewer("ADMIN_AGENT", "NONE", "UNDER_REVIEW"), current)).toMatchObject({ extensions: { code: "FORBIDDEN" } });
    expect(recheckedTypes({ ...viewer("ADMIN_AGENT", "NONE"), mustChangePassword: true }, current)).toMatchObject({ extensions: { code: "PASSWORD_CHANGE_REQUIRED" } });
  });

  it("when a stream is narrowed, then waiting events of the dropped types go and later ones are not delivered; when it is ended, then its reader gets the ending once, then done", async () => {
    const stream = await new LiveEventStream({
      hub: app.events.hub,
      partnerId: `p-${uniqueTag()}`,
      types: new Set(["ORDER_SUBMITTED", "PARTNERSHIP_ENDED"]),
      after: null,
      maxBuffered: 10,
      replay: () => Promise.reject(new Error("no replay without after")),
      onOverflow: () => undefined,
    }).start();
    const base = app.events.hub.lastSeen!;
    stream.deliver(event(base + 1, "ORDER_SUBMITTED"));
    stream.deliver(event(base + 2, "PARTNERSHIP_ENDED"));
    stream.narrow(new Set(["PARTNERSHIP_ENDED"]));
    expect([...stream.types]).toEqual(["PARTNERSHIP_ENDED"]);
    expect(await stream.next()).toMatchObject({ value: { seq: base + 2 }, done: false });
    // A pending read gets the ending.
    const pending = stream.next();
    const reason = new Error("ended");
    stream.end(reason);
    const ending = await pending;
    expect(ending.value).toBeInstanceOf(LiveStreamEnded);
    expect((ending.value as LiveStreamEnded).error).toBe(reason);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(stream.ended).toBe(true);
  });
});
