// The self-hosted GraphiQL page (GET /graphiql in development), bundled by
// scripts/build-graphiql.ts: GraphiQL 4 (CodeMirror 5) and React from npm, nothing from a CDN.
// One tab per contract operation, a "Sign in" panel that puts the token in the headers editor,
// and a link to Apollo Sandbox (/graphql). Subscriptions (channelEvents, D-29) run over WebSocket
// (graphql-ws) on the same path, the headers editor's token in connection_init.
import "graphiql/style.css";
import "./page.css";
import { useEditorContext, type GraphiQLPlugin } from "@graphiql/react";
import { GraphiQL } from "graphiql";
import { createClient, type Client, type FormattedExecutionResult } from "graphql-ws/client";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { useEffect, useRef, useState, useSyncExternalStore, type ComponentProps, type FormEvent } from "react";
import { createRoot } from "react-dom/client";

type Fetcher = ComponentProps<typeof GraphiQL>["fetcher"];
type Storage = NonNullable<ComponentProps<typeof GraphiQL>["storage"]>;

const ENDPOINT = "/graphql";
const SANDBOX = "/graphql";
const SIGN_IN_TITLE = "Sign in";
const SESSION_KEY = "csp-graphiql:session";

const SIGN_IN = `mutation SignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) {
    token
    user { id email displayName agentRole adminRole mustChangePassword }
  }
}`;

interface Session {
  token: string;
  email: string;
  displayName: string;
  agentRole: string;
  adminRole: string;
  mustChangePassword: boolean;
}

/**
 * The signed-in user, for this browser tab only: kept in memory and in sessionStorage (so a
 * reload keeps it), never in the URL, never in localStorage.
 */
const session = (() => {
  let current: Session | null = null;
  try {
    current = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null") as Session | null;
  } catch {
    current = null;
  }
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(next: Session | null) {
      current = next;
      if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
      else sessionStorage.removeItem(SESSION_KEY);
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
})();

const useSession = () => useSyncExternalStore(session.subscribe, session.get);

/**
 * The operation to run. GraphiQL works out the operation's name from the editor a moment after
 * its text changes, so a run right after switching tabs can name the previous tab's operation
 * (the API answers OPERATION_RESOLUTION_FAILURE): a name the document lacks is replaced by the
 * document's only operation.
 */
function operationNameOf(query: string, given: string | null | undefined): string | null | undefined {
  let names: string[];
  try {
    names = parse(query)
      .definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
      .map((definition) => definition.name?.value ?? "");
  } catch {
    return given; // The API reports the syntax error.
  }
  if (given && names.includes(given)) return given;
  return names.length === 1 && names[0] ? names[0] : given;
}

/** ws(s)://<this host>/graphql: the API serves graphql-ws on its GraphQL path. */
const SUBSCRIPTION_URL = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${ENDPOINT}`;

/** One graphql-ws client per Authorization value (the token goes in connection_init, D-29); a new token, a new connection. */
let live: { authorization: string | null; client: Client } | null = null;

function liveClient(authorization: string | null): Client {
  if (!live || live.authorization !== authorization) {
    void live?.client.dispose();
    live = {
      authorization,
      client: createClient({ url: SUBSCRIPTION_URL, connectionParams: authorization ? { authorization } : {}, lazy: true, retryAttempts: 0 }),
    };
  }
  return live.client;
}

function isSubscription(query: string, operationName: string | null | undefined): boolean {
  try {
    const operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const chosen = operations.length === 1 ? operations[0] : operations.find((o) => o.name?.value === operationName);
    return chosen?.operation === "subscription";
  } catch {
    return false;
  }
}

/** Why the socket or the subscription ended, as GraphQL errors for the result panel. */
function liveErrors(error: unknown): { message: string; extensions?: unknown }[] {
  if (Array.isArray(error)) return error as { message: string }[];
  if (error && typeof error === "object" && "code" in error) {
    const { code, reason } = error as { code: number; reason?: string };
    const why = code === 4403 ? " (the token in the Headers editor is missing or not valid: sign in)" : "";
    return [{ message: `WebSocket closed: ${code} ${reason ?? ""}${why}`.trim() }];
  }
  return [{ message: error instanceof Error ? error.message : String(error) }];
}

/**
 * A subscription's results for GraphiQL: graphql-ws's iterator, with a failure shown as one last
 * result (GraphiQL's stop button calls return(), which ends the subscription at once).
 */
function subscriptionResults(
  client: Client,
  payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
): AsyncIterableIterator<FormattedExecutionResult<Record<string, unknown>, unknown>> {
  const results = client.iterate(payload);
  let failed = false;
  const iterator: AsyncIterableIterator<FormattedExecutionResult<Record<string, unknown>, unknown>> = {
    async next() {
      if (failed) return { done: true, value: undefined };
      try {
        return await results.next();
      } catch (error) {
        failed = true;
        return { done: false, value: { errors: liveErrors(error) } as FormattedExecutionResult<Record<string, unknown>, unknown> };
      }
    },
    async return() {
      await results.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** The Authorization header among the headers editor's headers (any case). */
function authorizationOf(headers: Record<string, unknown> | undefined): string | null {
  for (const [name, value] of Object.entries(headers ?? {})) if (name.toLowerCase() === "authorization" && typeof value === "string") return value;
  return null;
}

/** POST /graphql as JSON, with the headers editor's headers; a subscription over WebSocket. */
const fetcher: Fetcher = async (params, options) => {
  const operationName = operationNameOf(params.query, params.operationName);
  if (isSubscription(params.query, operationName)) {
    const client = liveClient(authorizationOf(options?.headers as Record<string, unknown> | undefined));
    return subscriptionResults(client, { query: params.query, variables: params.variables ?? {}, operationName: operationName ?? undefined }) as never;
  }
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: { ...(options?.headers ?? {}), "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ ...params, operationName }),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as never;
  } catch {
    return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 200)}` }] } as never;
  }
};

/** The headers editor's JSON with the session's Authorization header put in (or taken out). */
function withAuthorization(headersText: string, token: string | null): string {
  let headers: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(headersText || "{}") as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) headers = parsed as Record<string, unknown>;
  } catch {
    headers = {};
  }
  for (const name of Object.keys(headers)) if (name.toLowerCase() === "authorization") delete headers[name];
  return JSON.stringify(token ? { Authorization: `Bearer ${token}`, ...headers } : headers, null, 2);
}

/**
 * Keeps the headers editor of the tab on screen in step with the session: after signing in
 * (or out) and whenever another tab is opened, its headers get `Authorization: Bearer <token>`.
 */
function TokenSync() {
  const current = useSession();
  const { headerEditor, activeTabIndex } = useEditorContext({ nonNull: true });
  const token = current?.token ?? null;
  useEffect(() => {
    if (!headerEditor) return;
    const text = headerEditor.getValue();
    const next = withAuthorization(text, token);
    if (JSON.stringify(JSON.parse(next)) !== normalized(text)) headerEditor.setValue(next);
  }, [headerEditor, activeTabIndex, token]);
  // While signed in, the token goes back into the headers whenever GraphiQL itself replaces the
  // editor's text (a change of origin "setValue"): it reloads the editors from its tab state when
  // a tab is clicked, the open one included, and that state learns an edit of the headers only
  // 100 ms later (so a click right after signing in would bring back the headers without the
  // token; activeTabIndex does not change and neither does `tabs`); a run restored from history
  // holds NOT_STORED where the token was. What the user types is left alone (other headers, or
  // none at all: Sign out is the way to send no token), except a pasted NOT_STORED marker; text
  // that is not a JSON object is left alone too, rather than replaced.
  useEffect(() => {
    if (!headerEditor || !token) return;
    const restore = (_editor: unknown, change: { origin?: string }) => {
      const text = headerEditor.getValue();
      if (change.origin !== "setValue" && !text.includes(NOT_STORED)) return;
      if (!isHeadersObject(text)) return;
      const next = withAuthorization(text, token);
      if (normalized(next) !== normalized(text)) headerEditor.setValue(next);
    };
    headerEditor.on("change", restore);
    return () => headerEditor.off("change", restore);
  }, [headerEditor, token]);
  return null;
}

/** Whether the headers editor's text is empty or a JSON object (what withAuthorization keeps). */
function isHeadersObject(text: string): boolean {
  try {
    const parsed = JSON.parse(text.trim() || "{}") as unknown;
    return Boolean(parsed) && typeof parsed === "object" && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/**
 * Two things graphiql 4 does not do from its props: the first tab opens with an empty variables
 * editor (its initial variables come from storage, not from `defaultTabs`), and `visiblePlugin`
 * does not open the plugin pane (only the sidebar button resizes it). So, once GraphiQL has
 * mounted: the first tab's variables are filled in, and a visitor who is not signed in gets the
 * "Sign in" pane, opened by its own sidebar button.
 */
function FirstVisit() {
  const { variableEditor, tabs, activeTabIndex } = useEditorContext({ nonNull: true });
  const filled = useRef(false);
  useEffect(() => {
    if (filled.current || !variableEditor) return;
    filled.current = true;
    const variables = tabs[activeTabIndex]?.variables;
    if (variables && !variableEditor.getValue()) variableEditor.setValue(variables);
  }, [variableEditor, tabs, activeTabIndex]);
  useEffect(() => {
    if (session.get()) return;
    const timer = setTimeout(() => {
      document.querySelector<HTMLButtonElement>(`.graphiql-sidebar button[aria-label="Show ${SIGN_IN_TITLE}"]`)?.click();
    });
    return () => clearTimeout(timer);
  }, []);
  return null;
}

function normalized(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text || "{}"));
  } catch {
    return text;
  }
}

function SignInPanel() {
  const current = useSession();
  const [email, setEmail] = useState(current?.email ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = (await fetcher({ query: SIGN_IN, operationName: "SignIn", variables: { email, password } })) as {
        data?: { signIn?: { token: string; user: Omit<Session, "token"> } } | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      const signedIn = result.data?.signIn;
      if (!signedIn) {
        const first = result.errors?.[0];
        setError(first ? `${first.message}${first.extensions?.code ? ` (${first.extensions.code})` : ""}` : "Sign-in failed.");
        return;
      }
      setPassword("");
      session.set({ token: signedIn.token, ...signedIn.user });
    } catch (caught) {
      setError(`The API did not answer: ${caught instanceof Error ? caught.message : String(caught)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="csp-signin">
      <div className="graphiql-doc-explorer-title">{SIGN_IN_TITLE}</div>
      {current ? (
        <div className="csp-signin-status" data-testid="signed-in">
          <p>
            Signed in as <strong>{current.email}</strong>
            <br />
            {current.displayName}, {current.agentRole} / {current.adminRole}
          </p>
          {current.mustChangePassword ? <p className="csp-signin-warning">This user must change the password first (ChangePassword).</p> : null}
          <p>
            Every tab sends <code>Authorization: Bearer …</code> (see <em>Headers</em> under the query). The token is
            kept in this browser tab only (sessionStorage), never in the URL.
          </p>
          <button type="button" className="graphiql-button" onClick={() => session.set(null)}>
            Sign out
          </button>
        </div>
      ) : (
        <form className="csp-signin-form" onSubmit={signIn}>
          <label>
            Email
            <input name="email" type="email" autoComplete="username" list="csp-demo-users" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
          <datalist id="csp-demo-users">
            {__DEMO_EMAILS__.map((address) => (
              <option key={address} value={address} />
            ))}
          </datalist>
          <label>
            Password
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </label>
          <button type="submit" className="graphiql-button" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
          {error ? (
            <p className="csp-signin-error" role="alert">
              {error}
            </p>
          ) : null}
          <p className="csp-signin-hint">Demo users: ga@adatum.example and the others that npm start lists, with the demo password it prints.</p>
        </form>
      )}
      <p className="csp-signin-hint">
        Apollo Sandbox (loaded from Apollo's CDN): <a href={SANDBOX}>{SANDBOX}</a>
      </p>
    </div>
  );
}

function KeyIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <circle cx="8" cy="15" r="4" />
      <path d="M11 12 20 3m-4 4 3 3m-6-1 2 2" />
    </svg>
  );
}

const signInPlugin: GraphiQLPlugin = { title: SIGN_IN_TITLE, icon: KeyIcon, content: SignInPanel };

/** What a stored copy of an Authorization header holds instead of the token. */
const NOT_STORED = "(token-not-stored)";
const BEARER = /Bearer\s+[\w.~+/-]+=*/g;

/**
 * GraphiQL's tabs, history and settings in localStorage, under a key of this build's contract
 * (a new contract starts from its own tabs rather than an old browser's), and never a token:
 * GraphiQL's history keeps each run's headers whatever `shouldPersistHeaders` says, so every
 * bearer token is replaced before it is written. A run restored from history gets the session's
 * token back (TokenSync).
 */
function contractStorage(): Storage {
  const prefix = `csp-graphiql:${__CONTRACT_HASH__}:`;
  const keys = () => Object.keys(localStorage).filter((key) => key.startsWith(prefix));
  return {
    getItem: (key) => localStorage.getItem(prefix + key),
    setItem: (key, value) => localStorage.setItem(prefix + key, value.replace(BEARER, `Bearer ${NOT_STORED}`)),
    removeItem: (key) => localStorage.removeItem(prefix + key),
    clear: () => keys().forEach((key) => localStorage.removeItem(key)),
    get length() {
      return keys().length;
    },
  };
}

const storage = contractStorage();
const defaultTabs = __CONTRACT_TABS__.map((tab) => ({ query: tab.query, variables: tab.variables }));

function Page() {
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={defaultTabs}
      plugins={[signInPlugin]}
      storage={storage}
      shouldPersistHeaders={false}
      showPersistHeadersSettings={false}
      defaultEditorToolsVisibility="variables"
    >
      <GraphiQL.Logo>
        <a className="csp-sandbox-link" href={SANDBOX} title="Apollo Sandbox at /graphql (needs Apollo's CDN)">
          Apollo Sandbox
        </a>
        <span className="csp-logo">GraphiQL</span>
        <TokenSync />
        <FirstVisit />
      </GraphiQL.Logo>
    </GraphiQL>
  );
}

createRoot(document.getElementById("graphiql")!).render(<Page />);
