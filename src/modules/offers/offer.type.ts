import { Field, ID, ObjectType } from "type-graphql";
import { ProductFamily } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";

export interface OfferRecord {
  id: string;
  name: string;
  productFamily: string;
}

@ObjectType("Offer", { implements: Node, description: "A product in the catalogue that can be ordered." })
export class Offer extends Node {
  @Field(() => ID) override id!: string;
  @Field(() => String) name!: string;
  @Field(() => ProductFamily) productFamily!: ProductFamily;
}
