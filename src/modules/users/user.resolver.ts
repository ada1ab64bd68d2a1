import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { issueToken } from "../../shared/auth/jwt.js";
import { hashPassword, verifyPassword } from "../../shared/auth/password.js";
import type { Context } from "../../shared/context.js";
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

@Resolver(() => User)
export class UserResolver {
  @Mutation(() => AuthPayload, { description: "A wrong password and an unknown email get the same UNAUTHENTICATED answer." })
  async signIn(
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    const credentials = await findCredentials(ctx.executor, email.trim().toLowerCase());
    // verifyPassword always runs, against a dummy hash for an unknown email, so both answers take as long.
    const ok = await verifyPassword(password, credentials?.passwordHash);
    if (!credentials || !ok) throw new InvalidCredentialsError();
    return { token: await issueToken(credentials.user.id, credentials.sessionVersion, ctx.config.jwtSecret), user: credentials.user };
  }

  @Mutation(() => AuthPayload, { description: "Also the way out of a temporary password (T-6); returns a fresh token." })
  async changePassword(
    @Arg("currentPassword", () => String) currentPassword: string,
    @Arg("newPassword", () => String) newPassword: string,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    const viewer = ctx.viewer;
    if (!viewer) throw new UnauthenticatedError();
    const hash = await currentPasswordHash(ctx.executor, viewer.userId);
    if (!(await verifyPassword(currentPassword, hash)) || hash === null) {
      throw new BadUserInputError("currentPassword", "current password", "is not your current password.");
    }
    checkNewPassword("newPassword", newPassword);
    if (newPassword === currentPassword) {
      throw new BadUserInputError("newPassword", "password reuse", "must differ from the current password.");
    }
    const updated = await changePasswordHash(ctx.executor, viewer.userId, hash, await hashPassword(newPassword));
    if (!updated) throw new ConflictError("The password was changed by another request; sign in again.");
    return { token: await issueToken(viewer.userId, updated.sessionVersion, ctx.config.jwtSecret), user: updated.user };
  }

  @Query(() => Me, { description: "The caller and its organisation (C15); allowed even before a temporary password is changed." })
  async me(@Ctx() ctx: Context): Promise<Me> {
    const viewer = ctx.viewer;
    if (!viewer) throw new UnauthenticatedError();
    const [user, partner] = await Promise.all([
      userLoaders(ctx).byId.load(viewer.userId),
      viewer.partnerId ? partnerLoaders(ctx).byId.load(viewer.partnerId) : Promise.resolve(null),
    ]);
    if (!user) throw new UnauthenticatedError("This user no longer exists; sign in again.");
    return { user, partner };
  }

  @Query(() => UserConnection.connection, { description: "The users of the caller's organisation (C6, T-1)." })
  users(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<UserRecord>> {
    return listUsers(ctx.executor, ctx.viewer?.partnerId ?? null, pageRequest(args));
  }
}
