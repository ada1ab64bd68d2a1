import { Arg, ID, Mutation, Resolver } from "type-graphql";
import { NotImplementedError } from "../../shared/errors.js";
import { AdminRole, AgentRole } from "../../shared/graphql/enums.js";
import { AddUserInput } from "./user.input.js";
import { User, UserWithTemporaryPassword, type UserRecord } from "./user.type.js";

/** Managing the partner's users (C6, D-6, D-7). */
@Resolver()
export class UserAdminResolver {
  @Mutation(() => UserWithTemporaryPassword, { description: "The temporary password is in this answer only (D-6)." })
  addUser(@Arg("input", () => AddUserInput) _input: AddUserInput): UserWithTemporaryPassword {
    throw new NotImplementedError("addUser");
  }

  @Mutation(() => User)
  updateUserRoles(
    @Arg("userId", () => ID) _userId: string,
    @Arg("agentRole", () => AgentRole) _agentRole: AgentRole,
    @Arg("adminRole", () => AdminRole) _adminRole: AdminRole,
  ): UserRecord {
    throw new NotImplementedError("updateUserRoles");
  }

  @Mutation(() => UserWithTemporaryPassword)
  resetUserPassword(@Arg("userId", () => ID) _userId: string): UserWithTemporaryPassword {
    throw new NotImplementedError("resetUserPassword");
  }

  @Mutation(() => Boolean, { description: "true when the user was removed." })
  removeUser(@Arg("userId", () => ID) _userId: string): boolean {
    throw new NotImplementedError("removeUser");
  }
}
