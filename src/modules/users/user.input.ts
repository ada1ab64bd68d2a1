import { Field, InputType } from "type-graphql";
import { AdminRole, AgentRole } from "../../shared/graphql/enums.js";

@InputType("AddUserInput", { description: "D-6: full name, a unique email, an agent role and an admin role." })
export class AddUserInput {
  @Field(() => String) displayName!: string;
  @Field(() => String) email!: string;
  @Field(() => AgentRole) agentRole!: AgentRole;
  @Field(() => AdminRole) adminRole!: AdminRole;
}
