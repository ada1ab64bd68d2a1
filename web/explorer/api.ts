// The page's only way to the data: the API's /graphql on this origin, with the operations of
// explorer.graphql as scripts/build-explorer.ts printed them (the trusted manifest's text), the
// bearer token of the signed-in user, and channelEvents over WebSocket (graphql-ws, the token in
// connection_init, D-29). The token lives in memory and in this tab's sessionStorage, never in a
// URL or localStorage.
import { createClient, type Client } from "graphql-ws/client";
import type {
  ExplorerCustomerQuery,
  ExplorerCustomerQueryVariables,
  ExplorerCustomersQuery,
  ExplorerCustomersQueryVariables,
  ExplorerEventsHeadQuery,
  ExplorerEventsSubscription,
  ExplorerMeQuery,
  ExplorerProvidersQuery,
  ExplorerProvidersQueryVariables,
  ExplorerResellersQuery,
  ExplorerResellersQueryVariables,
  ExplorerSignInMutation,
  ExplorerSignInMutationVariables,
  ExplorerStatsQuery,
} from "./operations.generated.js";

const ENDPOINT = "/graphql";
const SESSION_KEY = "csp-explorer-session";

/** An answer the page can state: the API's error code and message (never a stack or a secret). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Operations {
  ExplorerSignIn: [ExplorerSignInMutationVariables, ExplorerSignInMutation];
  ExplorerMe: [Record<string, never>, ExplorerMeQuery];
  ExplorerResellers: [ExplorerResellersQueryVariables, ExplorerResellersQuery];
  ExplorerProviders: [ExplorerProvidersQueryVariables, ExplorerProvidersQuery];
  ExplorerCustomers: [ExplorerCustomersQueryVariables, ExplorerCustomersQuery];
  ExplorerCustomer: [ExplorerCustomerQueryVariables, ExplorerCustomerQuery];
  ExplorerStats: [Record<string, never>, ExplorerStatsQuery];
  ExplorerEventsHead: [Record<string, never>, ExplorerEventsHeadQuery];
}

/**
 * The cursor live updates start after: the newest event of the types the page follows, read
 * before the data it draws (null when the organisation has none yet, or the feed is refused: then
 * the subscription starts from when it is made).
 */
export async function eventsHead(): Promise<string | null> {
  try {
    const answer = await run("ExplorerEventsHead", {});
    return answer.events.edges[0]?.cursor ?? null;
  } catch {
    return null;
  }
}

let token: string | null = sessionStorage.getItem(SESSION_KEY);

export function signedIn(): boolean {
  return token !== null;
}

export function signOut(): void {
  token = null;
  sessionStorage.removeItem(SESSION_KEY);
  live?.dispose();
  live = null;
}

/** Runs one of the page's operations; a GraphQL error (the first) becomes an ApiError. */
export async function run<N extends keyof Operations>(name: N, variables: Operations[N][0]): Promise<Operations[N][1]> {
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: __EXPLORER_OPERATIONS__[name], operationName: name, variables }),
    });
  } catch {
    throw new ApiError("NETWORK", "The API cannot be reached. Check the connection and try again.");
  }
  let body: { data?: Operations[N][1] | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(`HTTP_${response.status}`, `The API answered ${response.status} without a GraphQL result.`);
  }
  const error = body.errors?.[0];
  if (error) {
    const code = error.extensions?.code ?? "ERROR";
    if (code === "UNAUTHENTICATED" && name !== "ExplorerSignIn") signOut();
    throw new ApiError(code, error.message);
  }
  if (!body.data) throw new ApiError(`HTTP_${response.status}`, `The API answered ${response.status} with no data.`);
  return body.data;
}

/** signIn (C15): keeps the token for this tab. */
export async function signIn(email: string, password: string): Promise<ExplorerSignInMutation["signIn"]> {
  const { signIn: result } = await run("ExplorerSignIn", { email, password });
  token = result.token;
  sessionStorage.setItem(SESSION_KEY, token);
  return result;
}

let live: Client | null = null;

export type ChannelEvent = NonNullable<ExplorerEventsSubscription["channelEvents"]>;

/** Reconnection: after 0.5, 1, 2, 4 ... s (at most 30 s), 20 attempts in a row at most. */
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;
const RETRY_ATTEMPTS = 20;

/**
 * channelEvents (D-29) for the drawn channel's changes. A dropped connection is made again, and the
 * subscription asked again with `after` = the cursor of the last event received, so nothing
 * committed in between is missed (graphql-ws's own retry would send the first payload again, from
 * "now"). A connection closed as forbidden (4401, 4403: the token expired or was revoked) is not
 * retried: the page says so.
 */
export function subscribeToEvents(
  from: string | null,
  onEvent: (event: ChannelEvent) => void,
  onState: (state: "live" | "retrying" | "closed", detail?: string) => void,
): () => void {
  let after = from;
  let stopped = false;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${ENDPOINT}`;
  live?.dispose();
  const connect = () => {
    if (stopped || token === null) return;
    const client = createClient({
      url,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      on: {
        connected: () => {
          attempts = 0;
          onState("live");
        },
      },
    });
    live = client;
    const again = (reason: unknown) => {
      client.dispose();
      if (live === client) live = null;
      if (stopped) return;
      if (Array.isArray(reason)) {
        const error = reason[0] as { message?: string; extensions?: { field?: string } } | undefined;
        // GraphQL errors of the subscription itself (refused, invalid): asking again would get the
        // same, except about `after` (a feed cursor of an event committed moments ago and not yet
        // numbered: D-29 says to subscribe again in a second).
        if (error?.extensions?.field !== "after") {
          onState("closed", error?.message ?? "the subscription was refused");
          return;
        }
      }
      const code = (reason as { code?: number } | undefined)?.code;
      if (code === 4401 || code === 4403) {
        onState("closed", "the API ended the live connection (sign in again)");
        return;
      }
      attempts += 1;
      if (attempts > RETRY_ATTEMPTS) {
        onState("closed", "the API cannot be reached");
        return;
      }
      onState("retrying");
      timer = setTimeout(connect, Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempts - 1)));
    };
    client.subscribe<ExplorerEventsSubscription>(
      { query: __EXPLORER_OPERATIONS__.ExplorerEvents, operationName: "ExplorerEvents", variables: { after } },
      {
        next: (result) => {
          const item = result.data?.channelEvents;
          if (item) {
            after = item.cursor;
            onEvent(item);
          } else if (result.errors?.length) {
            stopped = true;
            client.dispose();
            onState("closed", result.errors[0]!.message);
          }
        },
        error: again,
        // The server completes a subscription only when it ends it (shutting down): start again after the last cursor.
        complete: () => again(undefined),
      },
    );
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    live?.dispose();
    live = null;
  };
}
