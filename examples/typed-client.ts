// A typed GraphQL client in 20 lines: fetch, graphql's print and the generated typed documents
// (src/generated/client/, `npm run codegen`). README "For frontend teams"; run by test/app/typed-client.test.ts.
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { CustomersDocument, SignInDocument } from "../src/generated/client/graphql.js";

type GraphQLError = { message: string; extensions?: { code?: string; retryAfter?: number } };

export async function request<R, V>(url: string, document: TypedDocumentNode<R, V>, variables: V, token?: string): Promise<R> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const { data, errors } = (await response.json()) as { data?: R | null; errors?: GraphQLError[] };
  if (errors?.length || !data) throw new Error(`${errors?.[0]?.extensions?.code}: ${errors?.[0]?.message}`);
  return data;
}

export async function listCustomers(url: string, email: string, password: string) {
  const { signIn } = await request(url, SignInDocument, { email, password });
  const { customers } = await request(url, CustomersDocument, { first: 20 }, signIn.token);
  return customers.edges.map(({ node }) => ({ name: node.companyName, partners: node.partners.map((p) => p.name) }));
}
