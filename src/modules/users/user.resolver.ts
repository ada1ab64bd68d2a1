import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import { issueToken } from "../../shared/auth/jwt.js";
import type { Context, PasswordGuard } from "../../shared/context.js";
import { BadUserInputError, ConflictError, InvalidCredentialsError, UnauthenticatedError } from "../../shared/errors.js";
import { ConnectionArgs, pageRequest, type Connection } from "../../shared/graphql/connection.js";
import { partnerLoaders } from "../partners/partner.loaders.js";
import { userLoaders } from "./user.loaders.js";
import { changePasswordHash, currentPasswordHash, findCredentials, listUsers } from "./user.repository.js";
import { AuthPayload, Me, User, UserConnection, type UserRecord } from "./user.type.js";

const MIN_PASSWORD = 12;
const MAX_PASSWORD = 256;

export function checkNewPassword(field: string, password: string): void {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw new BadUserInputError(field, "password length", `must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters long.`);
  }
  if (!/[A-Za-z]/.test(password) || !/[^A-Za-z]/.test(password)) {
    throw new BadUserInputError(field, "password strength", "must mix letters with digits or symbols.");
  }
}

/** The process's password limits; startApp always sets them. */
function passwordGuard(ctx: Context): PasswordGuard {
  const guard = ctx.services.passwords;
  if (!guard) throw new Error("services.passwords is not set: the API is started without its password limits");
  return guard;
}

@Resolver(() => User)
export class UserResolver {
  @Mutation(() => AuthPayload, { description: "A wrong password and an unknown email get the same UNAUTHENTICATED answer." })
  async signIn(
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    const account = email.trim().toLowerCase();
    const guard = passwordGuard(ctx);
    // Refused (RATE_LIMITED) before any work while the email or the address is locked out.
    const credentials = await guard.attempt(account, ctx.clientIp, async () => {
      const found = await findCredentials(ctx.executor, account);
      // The check always runs, against a dummy hash for an unknown email, so both answers take as long.
      const ok = await guard.verify(password, found?.passwordHash);
      return found && ok ? found : null;
    });
    if (!credentials) throw new InvalidCredentialsError();
    return { token: await issueToken(credentials.user.id, credentials.sessionVersion, ctx.config.jwtSecret), user: credentials.user };
  }

  @Mutation(() => AuthPayload, { description: "Also the way out of a temporary password (T-6); returns a fresh token." })
  async changePassword(
    @Arg("currentPassword", () => String) currentPassword: string,
    @Arg("newPassword", () => String) newPassword: string,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    const viewer = caller(ctx);
    // A wrong current password is a guess (say, with a stolen token): it counts against the
    // account's sign-in failures, and a locked-out account cannot change its password either.
    const guard = passwordGuard(ctx);
    const hash = await guard.attempt(viewer.email.toLowerCase(), ctx.clientIp, async () => {
      const current = await currentPasswordHash(ctx.executor, viewer.userId);
      return (await guard.verify(currentPassword, current)) && current !== null ? current : null;
    });
    if (hash === null) {
      throw new BadUserInputError("currentPassword", "current password", "is not your current password.");
    }
    checkNewPassword("newPassword", newPassword);
    if (newPassword === currentPassword) {
      throw new BadUserInputError("newPassword", "password reuse", "must differ from the current password.");
    }
    const updated = await changePasswordHash(ctx.executor, viewer.userId, hash, await guard.hash(newPassword));
    if (!updated) throw new ConflictError("The password was changed by another request; sign in again.");
    return { token: await issueToken(viewer.userId, updated.sessionVersion, ctx.config.jwtSecret), user: updated.user };
  }

  @Query(() => Me, { description: "The caller and its organisation (C15); allowed even before a temporary password is changed." })
  async me(@Ctx() ctx: Context): Promise<Me> {
    const viewer = caller(ctx);
    const [user, partner] = await Promise.all([
      userLoaders(ctx).byId.load(viewer.userId),
      viewer.partnerId ? partnerLoaders(ctx).byId.load(viewer.partnerId) : Promise.resolve(null),
    ]);
    if (!user) throw new UnauthenticatedError("This user no longer exists; sign in again.");
    return { user, partner };
  }

  @Query(() => UserConnection.connection, { description: "The users of the caller's organisation (C6, T-1)." })
  users(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<UserRecord>> {
    return listUsers(ctx.executor, caller(ctx).partnerId, pageRequest(args));
  }
}
