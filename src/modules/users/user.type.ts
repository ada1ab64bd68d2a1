import { Field, ID, ObjectType } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { connectionTypes } from "../../shared/graphql/connection.js";
import { AdminRole, AgentRole } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";
import { Partner, type PartnerRecord } from "../partners/partner.type.js";

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  agentRole: string;
  adminRole: string;
  mustChangePassword: boolean;
  createdAt: Date;
}

@ObjectType("User", { implements: Node, description: "A partner user: one agent role and one admin role (D-7)." })
export class User extends Node {
  @Field(() => ID) override id!: string;
  @Field(() => String) email!: string;
  @Field(() => String) displayName!: string;
  @Field(() => AgentRole) agentRole!: AgentRole;
  @Field(() => AdminRole) adminRole!: AdminRole;
  @Field(() => Boolean, { description: "A temporary password must be changed before anything but `me` (T-6)." })
  mustChangePassword!: boolean;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

export const UserConnection = connectionTypes<UserRecord>("User", () => User);

@ObjectType("Me", { description: "The caller and its organisation (C15)." })
export class Me {
  @Field(() => User) user!: UserRecord;
  @Field(() => Partner, { nullable: true, description: "null for the operator, who belongs to no partner (T-7)." })
  partner!: PartnerRecord | null;
}

@ObjectType("AuthPayload")
export class AuthPayload {
  @Field(() => String, { description: "Bearer token for the Authorization header; valid 8 hours." })
  token!: string;
  @Field(() => User) user!: UserRecord;
}

@ObjectType("UserWithTemporaryPassword", { description: "Sign-in information, shown exactly once (D-6)." })
export class UserWithTemporaryPassword {
  @Field(() => User) user!: UserRecord;
  @Field(() => String) temporaryPassword!: string;
}
