import { Field, InputType } from "type-graphql";

@InputType("InviteResellerInput", { description: "Invite an enrolled reseller by its MPN ID; the email goes to the address given." })
export class InviteResellerInput {
  @Field(() => String) resellerMpnId!: string;
  @Field(() => String) email!: string;
}
