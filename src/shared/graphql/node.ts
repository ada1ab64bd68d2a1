import { Field, ID, InterfaceType } from "type-graphql";
import { kindOfId } from "../ids.js";

/**
 * Relay's Node. Ids carry their kind as a prefix (src/shared/ids.ts); partners are the one kind
 * with two object types, told apart by `kind`.
 */
@InterfaceType("Node", {
  resolveType: (value: { id: string; kind?: string }) => {
    const kind = kindOfId(value.id);
    if (kind === "Partner") return value.kind === "PROVIDER" ? "Provider" : "Reseller";
    return kind ?? undefined;
  },
})
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
