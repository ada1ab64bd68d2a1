// The typed client of examples/typed-client.ts, carrying X-Consistency-Token (issue 15): behind a
// balancer, the next request may reach another API process, whose reads could miss the write
// this client just made. The response to a write carries the token; send it back with every
// request until the next write replaces it. Run by test/cluster/consistency.test.ts.
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { CreateLeadDocument, LeadsDocument, SignInDocument } from "../src/generated/client/graphql.js";

type GraphQLError = { message: string; extensions?: { code?: string; retryAfter?: number } };

/** `url`: the API (its balancer); a function when each request may choose (the test alternates two processes). */
export function consistentClient(url: string | (() => string)) {
  let bearer: string | undefined;
  let consistency: string | undefined; // a browser app may keep it in sessionStorage, shared by its tabs' requests

  async function request<R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
    const response = await fetch(typeof url === "string" ? url : url(), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(consistency ? { "x-consistency-token": consistency } : {}),
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    consistency = response.headers.get("x-consistency-token") ?? consistency; // only writes send one
    const { data, errors } = (await response.json()) as { data?: R | null; errors?: GraphQLError[] };
    const code = errors?.[0]?.extensions?.code;
    // The database does not have (or no longer has) the writes the token names: drop it; the next try reads without it.
    if (code === "CONSISTENCY_UNAVAILABLE") consistency = undefined;
    if (errors?.length || !data) throw new Error(`${code}: ${errors?.[0]?.message}`);
    return data;
  }

  return {
    request,
    get consistencyToken() {
      return consistency;
    },
    async signIn(email: string, password: string) {
      bearer = (await request(SignInDocument, { email, password })).signIn.token;
    },
    /** A lead, then the list: whichever process serves the list, it has the new lead. */
    async addLeadAndList(companyName: string, contactEmail: string) {
      const { createLead } = await request(CreateLeadDocument, { input: { companyName, contactEmail, source: "OWN_MARKETING" } });
      const { leads } = await request(LeadsDocument, { first: 100 });
      return { created: createLead.id, listed: leads.edges.map(({ node }) => node.id) };
    },
  };
}
