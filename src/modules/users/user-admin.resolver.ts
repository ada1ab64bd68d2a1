import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import { generateTemporaryPassword, hashPassword } from "../../shared/auth/password.js";
import type { Context } from "../../shared/context.js";
import { AdminRole, AgentRole } from "../../shared/graphql/enums.js";
import { newId } from "../../shared/ids.js";
import { email, text } from "../../shared/validation.js";
import { AddUserInput } from "./user.input.js";
import { addUser, removeUser, resetUserPassword, updateUserRoles } from "./user.repository.js";
import { User, UserWithTemporaryPassword, type UserRecord } from "./user.type.js";

/**
 * Managing the partner's users (C6, D-6, D-7), within the caller's organisation only (T-1).
 * Temporary passwords are made here, hashed before the transaction, and returned in the answer
 * only: nothing stores or logs them in clear.
 */
@Resolver()
export class UserAdminResolver {
  @Mutation(() => UserWithTemporaryPassword, {
    description:
      "The temporary password is in this answer only (D-6). Only a global admin may create a global admin (product decision).",
  })
  async addUser(@Arg("input", () => AddUserInput) input: AddUserInput, @Ctx() ctx: Context): Promise<UserWithTemporaryPassword> {
    const user = {
      id: newId("User"),
      displayName: text("input.displayName", input.displayName, 200),
      email: email("input.email", input.email),
      agentRole: input.agentRole,
      adminRole: input.adminRole,
    };
    const temporaryPassword = generateTemporaryPassword();
    const created = await addUser(ctx.executor, caller(ctx), user, await hashPassword(temporaryPassword));
    return { user: created, temporaryPassword };
  }

  @Mutation(() => User, {
    description:
      "Only a global admin grants or removes the global admin role; the last global admin cannot be demoted (CONFLICT). A global admin may grant themselves ADMIN_AGENT (D-5).",
  })
  updateUserRoles(
    @Arg("userId", () => ID) userId: string,
    @Arg("agentRole", () => AgentRole) agentRole: AgentRole,
    @Arg("adminRole", () => AdminRole) adminRole: AdminRole,
    @Ctx() ctx: Context,
  ): Promise<UserRecord> {
    return updateUserRoles(ctx.executor, caller(ctx), userId, agentRole, adminRole);
  }

  @Mutation(() => UserWithTemporaryPassword, {
    description: "A new temporary password, shown in this answer only; the user must change it at the next sign-in (D-6, T-6).",
  })
  async resetUserPassword(@Arg("userId", () => ID) userId: string, @Ctx() ctx: Context): Promise<UserWithTemporaryPassword> {
    const temporaryPassword = generateTemporaryPassword();
    const user = await resetUserPassword(ctx.executor, caller(ctx), userId, await hashPassword(temporaryPassword));
    return { user, temporaryPassword };
  }

  @Mutation(() => Boolean, { description: "true when the user was removed; the last global admin cannot be (CONFLICT)." })
  removeUser(@Arg("userId", () => ID) userId: string, @Ctx() ctx: Context): Promise<boolean> {
    return removeUser(ctx.executor, caller(ctx), userId);
  }
}
