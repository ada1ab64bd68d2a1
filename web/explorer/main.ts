// The channel explorer (issue 16): the signed-in user's organisation at the centre, its
// partnerships, the customers each partnership shares (D-11) and the organisation's own customers,
// drawn with cytoscape and explored a page at a time through the API. See README, "For analysts".
import cytoscape, { type Core, type ElementDefinition, type EventObject, type NodeSingular } from "cytoscape";
import { ApiError, eventsHead, run, signIn, signOut, signedIn, subscribeToEvents, type ChannelEvent } from "./api.js";
import { Channel, type ChannelEdge, type ChannelNode, type Paging } from "./channel.js";
import { channelCsv } from "./csv.js";
import type { ExplorerCustomerNodeFragment, ExplorerCustomerQuery, ExplorerMeQuery, ExplorerPartnerFragment, PartnerKind, ProductFamily } from "./operations.generated.js";
import "./page.css";

/** Partnerships per page (the API's largest page). */
const PARTNER_PAGE = 100;
/** Shared customers per partnership in the first view, and per "more" after it. */
const SHARED_FIRST = 10;
const SHARED_MORE = 20;
/** The caller's own customers per page, search hits, customers without a provider per page. */
const OWN_PAGE = 50;
const SEARCH_PAGE = 20;
const WITHOUT_PROVIDER_PAGE = 100;
const PRODUCT_FAMILIES: ProductFamily[] = ["AZURE", "DYNAMICS_365", "OFFICE_365"];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]) => {
  const element = Object.assign(document.createElement(tag), props);
  element.append(...children);
  return element;
};
const fmt = (n: number) => n.toLocaleString("en-US");

type PageState = "signed-out" | "loading" | "ready" | "denied" | "error";
function setState(state: PageState): void {
  document.body.dataset.state = state;
}

/** A message at the top of the page: an API error states its code and message. */
function say(text: string, kind: "info" | "error" = "info"): void {
  const box = $("message");
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = text === "";
}
const describe = (error: unknown) => (error instanceof ApiError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error));

// ------------------------------------------------------------------ state

let me: NonNullable<ExplorerMeQuery["me"]> | null = null;
let channel: Channel | null = null;
let cy: Core | null = null;
let stopLive: (() => void) | null = null;
/** What the caller may read: C16 (partnerships, shared customers) and C1 (customers), as the API answered. */
const allowed = { partnerships: true, customers: true };
const withoutProvider: Paging = { total: 0, loaded: 0, hasNextPage: false, endCursor: null };
let withoutProviderShown = false;
let selected: string | null = null;

// ------------------------------------------------------------------ sign in / out

$("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const email = (form.elements.namedItem("email") as HTMLInputElement).value.trim();
  const password = (form.elements.namedItem("password") as HTMLInputElement).value;
  const button = form.querySelector("button")!;
  button.disabled = true;
  say("");
  try {
    performance.mark("explorer:sign-in");
    const result = await signIn(email, password);
    (form.elements.namedItem("password") as HTMLInputElement).value = "";
    if (result.user.mustChangePassword) {
      say("This account still has its temporary password: change it first (changePassword, in GraphiQL or your client), then sign in here.", "error");
      signOut();
      return;
    }
    await open();
  } catch (error) {
    say(`Sign-in failed: ${describe(error)}`, "error");
  } finally {
    button.disabled = false;
  }
});

$("signout").addEventListener("click", () => {
  close();
  signOut();
  showSignIn();
});

function showSignIn(): void {
  setState("signed-out");
  $("signin").hidden = false;
  $("explorer").hidden = true;
  $("who").textContent = "";
  $("signout").hidden = true;
  ($("signin-form").querySelector("input[name=email]") as HTMLInputElement).focus();
}

function close(): void {
  stopLive?.();
  stopLive = null;
  cy?.destroy();
  cy = null;
  channel = null;
  me = null;
  selected = null;
  Object.assign(withoutProvider, { total: 0, loaded: 0, hasNextPage: false, endCursor: null });
  withoutProviderShown = false;
  ($("without-provider") as HTMLInputElement).checked = false;
  $("details").replaceChildren();
  $("results").replaceChildren();
  $("events").replaceChildren();
}

// ------------------------------------------------------------------ the first view

/** Signed in: the organisation, its partnerships with their first shared customers, and its first customers, drawn. */
async function open(): Promise<void> {
  setState("loading");
  $("signin").hidden = true;
  say("Loading the channel…");
  try {
    // Where live updates will start: read before the data, so that a change in between is replayed.
    const from = await eventsHead();
    // Everything the first view needs, asked at once: who the caller is, and both kinds of
    // partnership list (the one that does not fit the caller's kind answers at once, empty).
    const pending = {
      PROVIDER: fetchPartnerships("PROVIDER", null),
      RESELLER: fetchPartnerships("RESELLER", null),
      own: run("ExplorerCustomers", { first: OWN_PAGE }),
    };
    for (const promise of Object.values(pending)) promise.catch(() => undefined);
    const answer = await run("ExplorerMe", {});
    me = answer.me;
    if (!me) throw new ApiError("UNAUTHENTICATED", "Not signed in.");
    $("who").textContent = `${me.user.displayName} · ${me.partner?.name ?? "operator"}`;
    $("signout").hidden = false;
    const partner = me.partner;
    if (!partner) {
      deny("The explorer draws a partner organisation's channel; the operator (T-7) has none and sees no partner's customers.");
      return;
    }
    channel = new Channel(partner);
    const kindOfPartners = partner.kind === "PROVIDER" ? "indirect resellers" : "indirect providers";
    const [partners, own] = await Promise.allSettled([pending[partner.kind].then(addPartnerships), pending.own]);
    allowed.partnerships = !forbidden(partners);
    allowed.customers = !forbidden(own);
    for (const result of [partners, own]) if (result.status === "rejected" && !forbidden(result)) throw result.reason;
    if (!allowed.partnerships && !allowed.customers) {
      deny(
        `Your roles (agent role ${me.user.agentRole}, admin role ${me.user.adminRole}) do not let you view customers (C1) or ${kindOfPartners} and shared customers (C16), ` +
          "so there is nothing to explore. A global admin of your organisation can give you an agent role.",
      );
      return;
    }
    if (own.status === "fulfilled") channel.addOwn(own.value.customers);
    performance.mark("explorer:data");
    // Shown first, so that cytoscape measures its container once.
    $("explorer").hidden = false;
    draw();
    performance.mark("explorer:drawn");
    const notes: string[] = [];
    if (!allowed.partnerships) notes.push(`Your roles do not let you list ${kindOfPartners} (C16): only your customers are drawn.`);
    if (!allowed.customers) notes.push("Your roles do not let you view customers (C1): only partnerships are drawn.");
    say(notes.join(" "));
    summarize();
    partnershipList();
    filterOptions();
    await nextFrame();
    performance.mark("explorer:first-view");
    setState("ready");
    document.body.dataset.firstViewMs = String(Math.round(performance.now()));
    // The organisation's own facts in the details panel until a node is clicked.
    void select(channel.self.id);
    stopLive = subscribeToEvents(from, onEvent, liveState);
  } catch (error) {
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED") {
      close();
      showSignIn();
      say(`Signed out: ${describe(error)}`, "error");
      return;
    }
    setState("error");
    say(`The channel could not be loaded: ${describe(error)}`, "error");
  }
}

const forbidden = (result: PromiseSettledResult<unknown>) => result.status === "rejected" && result.reason instanceof ApiError && result.reason.code === "FORBIDDEN";

function deny(text: string): void {
  setState("denied");
  $("explorer").hidden = true;
  say(text, "error");
}

/** Two animation frames: the graph has been painted and the page answers input. */
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

interface PartnerPage {
  partners: ExplorerPartnerFragment[];
  paging: Paging;
}

/**
 * A page of the partnerships of a caller of this kind, each with its first shared customers: a
 * provider's indirect resellers (100 a page), a reseller's indirect providers (one list). Null when
 * the caller is not of that kind.
 */
async function fetchPartnerships(kind: PartnerKind, after: string | null): Promise<PartnerPage | null> {
  if (kind === "PROVIDER") {
    const answer = await run("ExplorerResellers", { first: PARTNER_PAGE, after, sharedFirst: SHARED_FIRST });
    const page = answer.me?.partner && "indirectResellers" in answer.me.partner ? answer.me.partner.indirectResellers : null;
    if (!page) return null;
    return { partners: page.edges.map((edge) => edge.node), paging: { total: page.totalCount, loaded: page.edges.length, hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor } };
  }
  const answer = await run("ExplorerProviders", { sharedFirst: SHARED_FIRST });
  if (!(answer.me?.partner && "indirectProviders" in answer.me.partner)) return null;
  const partners = answer.me.partner.indirectProviders;
  return { partners, paging: { total: partners.length, loaded: partners.length, hasNextPage: false, endCursor: null } };
}

/** Adds a page of partnerships to the channel (those not drawn yet) and moves the paging on. */
function addPartnerships(page: PartnerPage | null): ExplorerPartnerFragment[] {
  const c = channel!;
  if (!page) return [];
  c.partners = {
    total: page.paging.total,
    loaded: c.partners.loaded + page.paging.loaded,
    hasNextPage: page.paging.hasNextPage,
    endCursor: page.paging.endCursor ?? c.partners.endCursor,
  };
  c.addPartners(page.partners.filter((p) => !c.nodes.has(p.id)));
  return page.partners;
}

/** The next page of partnerships (or the first again, after the paging was reset), added to the channel. */
async function loadPartnerships(): Promise<ExplorerPartnerFragment[]> {
  const c = channel!;
  return addPartnerships(await fetchPartnerships(c.self.kind, c.partners.endCursor));
}

// ------------------------------------------------------------------ drawing

const elementOf = (node: ChannelNode): ElementDefinition => ({
  group: "nodes",
  data: { id: node.id, label: node.label, kind: node.kind },
  position: { x: node.x, y: node.y },
  classes: [node.kind, node.withoutProvider ? "without-provider" : ""].join(" ").trim(),
});
const edgeOf = (edge: ChannelEdge): ElementDefinition => ({ group: "edges", data: { id: edge.id, source: edge.source, target: edge.target, kind: edge.kind }, classes: edge.kind });

/**
 * The edges drawn: a shared customer (D-11) is the caller's customer too, so its
 * reseller-of-record edge to the centre is implied by the shared edge and not drawn (it stays in
 * the channel, and in the CSV). Fewer elements, too: the first view of a large provider draws
 * ~1,000 edges instead of ~1,600.
 */
function drawnEdges(): Map<string, ChannelEdge> {
  const c = channel!;
  const shared = new Set<string>();
  for (const edge of c.edges.values()) if (edge.kind === "shared") shared.add(edge.target);
  const drawn = new Map<string, ChannelEdge>();
  for (const edge of c.edges.values()) if (!(edge.kind === "resellerOfRecord" && shared.has(edge.target))) drawn.set(edge.id, edge);
  return drawn;
}

/** Customers' names are drawn from this zoom on (below it they would not be readable, and measuring them costs the first view). */
const LABEL_ZOOM = 0.8;
let labelled = false;
/** With few customers drawn, their names always are (measuring a few costs nothing). */
const LABEL_ALWAYS = 150;
/** Edge widths at zoom 1; zoomed out, they are drawn wider (by powers of 2, up to 4×) so that a large view still shows its edges. */
const EDGE_WIDTHS = { partnership: 3, shared: 1.5, resellerOfRecord: 1 } as const;
let edgeScale = 1;
const scaleAt = (zoom: number) => Math.min(4, 2 ** Math.max(0, Math.ceil(Math.log2(0.8 / zoom))));
function scaleEdges(): void {
  const scale = scaleAt(cy!.zoom());
  if (scale === edgeScale) return;
  edgeScale = scale;
  // The whole stylesheet again (appending rules would grow it with every zoom).
  cy!.style(styleFor(scale));
}

function labelCustomers(): void {
  const on = cy!.zoom() >= LABEL_ZOOM || channel!.customerCount() <= LABEL_ALWAYS;
  if (on === labelled) return;
  labelled = on;
  cy!.batch(() => cy!.nodes(".customer").toggleClass("labelled", on));
}

/** The zoom at which the preset layout fits the container (what cytoscape's fit will choose), so the first style is already the right one. */
function fitZoom(): number {
  const nodes = [...channel!.nodes.values()];
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const width = Math.max(...xs) - Math.min(...xs) + 120;
  const height = Math.max(...ys) - Math.min(...ys) + 120;
  const box = $("graph");
  return Math.min(box.clientWidth / width, box.clientHeight / height);
}

function draw(): void {
  const c = channel!;
  cy?.destroy();
  edgeScale = scaleAt(fitZoom());
  cy = cytoscape({
    container: $("graph"),
    elements: [...[...c.nodes.values()].map(elementOf), ...[...drawnEdges().values()].map(edgeOf)],
    layout: { name: "preset", fit: true, padding: 30 },
    style: styleFor(edgeScale),
    minZoom: 0.05,
    maxZoom: 4,
    // Large views: a cached image of the graph while panning and zooming (edges stay drawn: hiding
    // them during viewport changes left the first view, right after its fit, without edges).
    textureOnViewport: c.nodes.size > 600,
    boxSelectionEnabled: false,
  });
  labelled = false;
  labelCustomers();
  scaleEdges();
  cy.on("zoom", () => {
    labelCustomers();
    scaleEdges();
  });
  cy.on("tap", "node", (event: EventObject) => void select((event.target as NodeSingular).id()));
  cy.on("tap", (event: EventObject) => {
    if (event.target === cy) select(null);
  });
}

/** Brings the drawing in line with the channel: adds what is new, removes what is gone, moves what moved. */
function sync(): void {
  const c = channel!;
  const graph = cy!;
  const edges = drawnEdges();
  graph.batch(() => {
    graph.elements().forEach((element) => {
      const id = element.id();
      if (element.isNode() ? !c.nodes.has(id) : !edges.has(id)) graph.remove(element);
    });
    const added: ElementDefinition[] = [];
    for (const node of c.nodes.values()) {
      const drawn = graph.getElementById(node.id);
      if (drawn.empty()) added.push(elementOf(node));
      else {
        drawn.position({ x: node.x, y: node.y });
        drawn.data("label", node.label);
        drawn.toggleClass("without-provider", node.withoutProvider);
      }
    }
    for (const edge of edges.values()) if (graph.getElementById(edge.id).empty()) added.push(edgeOf(edge));
    graph.add(added);
    if (labelled) graph.nodes(".customer").addClass("labelled");
  });
  labelCustomers();
  applyFilters();
  summarize();
  partnershipList();
  filterOptions();
}

const styleFor = (edgeScale: number): cytoscape.StylesheetJson => [
  { selector: "node", style: { label: "data(label)", "font-size": 11, "min-zoomed-font-size": 9, "text-valign": "bottom", "text-margin-y": 3, color: "#1f2933", "text-wrap": "ellipsis", "text-max-width": "140px", "border-width": 1, "border-color": "#52606d" } },
  { selector: "node.self", style: { shape: "star", width: 56, height: 56, "background-color": "#102a43", "font-size": 14, "font-weight": "bold" } },
  { selector: "node.provider", style: { shape: "hexagon", width: 34, height: 34, "background-color": "#7c3aed", "font-size": 12 } },
  { selector: "node.reseller", style: { shape: "round-rectangle", width: 34, height: 26, "background-color": "#2563eb", "font-size": 12 } },
  { selector: "node.customer", style: { label: "", shape: "ellipse", width: 16, height: 16, "background-color": "#10b981", "font-size": 9, "text-max-width": "60px" } },
  { selector: "node.customer.labelled, node.customer.hit, node.customer:selected", style: { label: "data(label)" } },
  { selector: "node.without-provider", style: { "background-color": "#f59e0b", "border-color": "#b91c1c", "border-width": 3 } },
  { selector: "node.hit", style: { "border-color": "#facc15", "border-width": 5, "z-index": 10 } },
  { selector: "node:selected", style: { "border-color": "#e11d48", "border-width": 4, "z-index": 20 } },
  { selector: "node.filtered-out", style: { display: "none" } },
  { selector: "edge", style: { width: 1, "curve-style": "straight", opacity: 0.7 } },
  { selector: "edge.partnership", style: { width: EDGE_WIDTHS.partnership * edgeScale, "line-color": "#334e68" } },
  { selector: "edge.resellerOfRecord", style: { width: EDGE_WIDTHS.resellerOfRecord * edgeScale, "line-color": "#9aa5b1", "line-style": "dashed" } },
  { selector: "edge.shared", style: { width: EDGE_WIDTHS.shared * edgeScale, "line-color": "#0d9488", opacity: 0.45 } },
];

// ------------------------------------------------------------------ the side panel

function summarize(): void {
  const c = channel!;
  const sharedTotal = [...c.shared.values()].reduce((sum, p) => sum + p.total, 0);
  const sharedDrawn = new Set([...c.edges.values()].filter((e) => e.kind === "shared").map((e) => e.target)).size;
  const customers = c.customerCount();
  const summary = $("summary");
  Object.assign(summary.dataset, {
    partnersDrawn: String(c.partnerNodes().length),
    partnersTotal: String(c.partners.total),
    sharedTotal: String(sharedTotal),
    sharedDrawn: String(sharedDrawn),
    customersDrawn: String(customers),
    ownTotal: String(c.own.total),
    ownLoaded: String(c.own.loaded),
    nodes: String(c.nodes.size),
    edges: String(c.edges.size),
    edgesDrawn: String(cy?.edges().length ?? 0),
  });
  const partnerWord = c.self.kind === "PROVIDER" ? "Indirect resellers" : "Indirect providers";
  summary.replaceChildren(
    el("li", {}, `${partnerWord}: ${fmt(c.partnerNodes().length)} drawn of ${fmt(c.partners.total)}`),
    el("li", {}, `Shared customers (D-11): ${fmt(sharedDrawn)} drawn; ${fmt(sharedTotal)} across the partnerships drawn`),
    el("li", {}, `Your customers: ${fmt(customers)} drawn of ${fmt(c.own.total)}`),
    el("li", {}, `${fmt(c.nodes.size)} nodes, ${fmt(c.edges.size)} edges (${fmt(cy?.edges().length ?? 0)} drawn)`),
  );
  $("more-partners").hidden = !c.partners.hasNextPage;
  $("more-own").hidden = !c.own.hasNextPage || !allowed.customers;
  $("more-without-provider").hidden = !withoutProviderShown || !withoutProvider.hasNextPage;
  $("without-provider-count").textContent = withoutProviderShown ? `${fmt(withoutProvider.loaded)} of ${fmt(withoutProvider.total)} highlighted` : "";
}

/** The partnerships, each with its shared customers drawn of the API's total and a button for the next page. */
function partnershipList(): void {
  const c = channel!;
  const items = c.partnerNodes().map((partner) => {
    const paging = c.shared.get(partner.id)!;
    const more = el("button", { type: "button", textContent: "More", title: `The next ${SHARED_MORE} shared customers` });
    more.dataset.partnerId = partner.id;
    more.hidden = !paging.hasNextPage;
    more.addEventListener("click", () => void expand(partner.id, more));
    const name = el("a", { href: "#", textContent: partner.label });
    name.addEventListener("click", (event) => {
      event.preventDefault();
      void select(partner.id);
    });
    const item = el("li", {}, name, ` · ${fmt(paging.loaded)} of ${fmt(paging.total)} shared `, more);
    item.dataset.partnerId = partner.id;
    item.dataset.sharedLoaded = String(paging.loaded);
    item.dataset.sharedTotal = String(paging.total);
    return item;
  });
  $("partnerships").replaceChildren(...items);
}

/** The next page of one partnership's shared customers (keyset cursor, never all at once). */
async function expand(partnerId: string, button?: HTMLButtonElement): Promise<void> {
  const c = channel!;
  const paging = c.shared.get(partnerId);
  if (!paging?.hasNextPage) return;
  if (button) button.disabled = true;
  try {
    // The partnership's own list (no view filter): its cursor and its total stay the ones the first view counted.
    const answer = await run("ExplorerCustomers", { first: SHARED_MORE, after: paging.endCursor, where: { sharedWithPartnerId: partnerId } });
    c.addShared(partnerId, answer.customers);
    sync();
  } catch (error) {
    say(`More shared customers could not be loaded: ${describe(error)}`, "error");
  } finally {
    if (button) button.disabled = false;
  }
}

$("more-partners").addEventListener("click", async () => {
  try {
    await loadPartnerships();
    sync();
  } catch (error) {
    say(`More partnerships could not be loaded: ${describe(error)}`, "error");
  }
});

$("more-own").addEventListener("click", async () => {
  const c = channel!;
  try {
    const answer = await run("ExplorerCustomers", { first: OWN_PAGE, after: c.own.endCursor });
    c.addOwn(answer.customers);
    sync();
  } catch (error) {
    say(`More customers could not be loaded: ${describe(error)}`, "error");
  }
});

// ------------------------------------------------------------------ search, filters, D-27

$("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const term = ($("search") as HTMLInputElement).value.trim();
  const results = $("results");
  cy?.nodes(".hit").removeClass("hit");
  if (!term) {
    results.replaceChildren();
    return;
  }
  try {
    const answer = await run("ExplorerCustomers", { first: SEARCH_PAGE, where: { search: term, ...countryWhere() } });
    const hits = answer.customers.edges.map((edge) => edge.node);
    for (const hit of hits) channel!.addCustomer(hit);
    sync();
    cy!.batch(() => hits.forEach((hit) => cy!.getElementById(hit.id).addClass("hit")));
    results.dataset.total = String(answer.customers.totalCount);
    results.replaceChildren(
      el("p", {}, `${fmt(answer.customers.totalCount)} customer${answer.customers.totalCount === 1 ? "" : "s"} match "${term}"${answer.customers.totalCount > hits.length ? ` (the first ${hits.length} shown)` : ""}.`),
      el("ul", {}, ...hits.map((hit) => {
        const link = el("a", { href: "#", textContent: `${hit.companyName} (${hit.domain})` });
        link.addEventListener("click", (e) => {
          e.preventDefault();
          void select(hit.id);
        });
        return el("li", {}, link);
      })),
    );
    if (hits.length > 0) cy!.animate({ fit: { eles: cy!.nodes(".hit"), padding: 80 }, duration: 250 });
  } catch (error) {
    say(`Search failed: ${describe(error)}`, "error");
  }
});

/** The country filter, as a CustomerWhere part for a search (a new list; the paged lists keep their own, so their totals and cursors stay consistent). */
function countryWhere(): { countryCode?: string } {
  const country = ($("country") as HTMLSelectElement).value;
  return country ? { countryCode: country } : {};
}

/** Country and product-family filters: customers drawn that do not match are hidden (and left out of the CSV). */
function applyFilters(): void {
  if (!cy || !channel) return;
  const country = ($("country") as HTMLSelectElement).value;
  const family = ($("family") as HTMLSelectElement).value as ProductFamily | "";
  let shown = 0;
  let total = 0;
  cy.batch(() => {
    for (const node of channel!.customers()) {
      const match = (!country || node.countryCode === country) && (!family || node.productFamilies.includes(family));
      total += 1;
      if (match) shown += 1;
      cy!.getElementById(node.id).toggleClass("filtered-out", !match);
    }
  });
  const filter = $("filter-count");
  filter.dataset.shown = String(shown);
  filter.textContent = country || family ? `${fmt(shown)} of ${fmt(total)} customers drawn match` : "";
}

/** The countries of the customers drawn (the select keeps the one chosen). */
function filterOptions(): void {
  const select = $("country") as HTMLSelectElement;
  const current = select.value;
  const countries = [...new Set(channel!.customers().map((n) => n.countryCode))].sort();
  if (current && !countries.includes(current)) countries.push(current);
  const options = [el("option", { value: "", textContent: "All countries" }), ...countries.map((code) => el("option", { value: code, textContent: code }))];
  if (select.options.length !== options.length || [...select.options].some((o, i) => o.value !== options[i]!.value)) {
    select.replaceChildren(...options);
    select.value = current;
  }
}

$("country").addEventListener("change", applyFilters);
$("family").addEventListener("change", applyFilters);
($("family") as HTMLSelectElement).append(...PRODUCT_FAMILIES.map((f) => el("option", { value: f, textContent: f })));

/** D-27: the customers for which no provider can order, a page at a time, highlighted (and drawn when not yet). */
async function loadWithoutProvider(): Promise<void> {
  const c = channel!;
  try {
    const answer = await run("ExplorerCustomers", { first: WITHOUT_PROVIDER_PAGE, after: withoutProvider.endCursor, where: { withoutProvider: true } });
    const page = answer.customers;
    for (const { node } of page.edges) c.addCustomer(node);
    c.markWithoutProvider(page.edges.map((e) => e.node.id));
    Object.assign(withoutProvider, { total: page.totalCount, loaded: withoutProvider.loaded + page.edges.length, hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor ?? withoutProvider.endCursor });
    withoutProviderShown = true;
    sync();
  } catch (error) {
    say(`Customers without a provider could not be loaded: ${describe(error)}`, "error");
  }
}

$("without-provider").addEventListener("change", async (event) => {
  const on = (event.target as HTMLInputElement).checked;
  if (on) {
    if (withoutProvider.loaded === 0) await loadWithoutProvider();
    else withoutProviderShown = true;
    cy?.nodes(".customer").forEach((n) => {
      n.toggleClass("without-provider", channel!.nodes.get(n.id())?.withoutProvider ?? false);
    });
  } else {
    withoutProviderShown = false;
    cy?.nodes(".without-provider").removeClass("without-provider");
  }
  summarize();
});
$("more-without-provider").addEventListener("click", () => void loadWithoutProvider());

// ------------------------------------------------------------------ details

async function select(id: string | null): Promise<void> {
  selected = id;
  const details = $("details");
  cy?.nodes(":selected").unselect();
  if (!id || !channel) {
    details.replaceChildren();
    return;
  }
  const node = channel.nodes.get(id);
  if (!node) return;
  cy?.getElementById(id).select();
  const neighbours = channel.neighbours(id).length;
  if (node.kind !== "customer") {
    const paging = channel.shared.get(id);
    details.replaceChildren(
      el("h2", {}, node.label),
      table([
        ["Kind", node.kind === "self" ? `your organisation (${channel.self.kind.toLowerCase()})` : node.kind],
        ["Country", node.countryCode],
        ["MPN ID", node.detail],
        ...(node.partnerSince ? [["Partners since", node.partnerSince.slice(0, 10)] as [string, string]] : []),
        ...(paging ? [["Shared customers (D-11)", `${fmt(paging.loaded)} drawn of ${fmt(paging.total)}`] as [string, string]] : []),
        ["Connections loaded", fmt(neighbours)],
      ]),
    );
    if (paging?.hasNextPage) {
      const more = el("button", { type: "button", textContent: `Next ${SHARED_MORE} shared customers` });
      more.addEventListener("click", () => void expand(id, more));
      details.append(more);
    }
    return;
  }
  details.replaceChildren(el("h2", {}, node.label), el("p", {}, "Loading…"));
  try {
    const { customer } = await run("ExplorerCustomer", { id });
    if (selected !== id) return;
    if (!customer) {
      // Out of scope now (its relationship ended, T-4): it reads as if it did not exist.
      channel.removeCustomer(id);
      sync();
      details.replaceChildren(el("p", {}, "This customer is no longer in your channel."));
      return;
    }
    // Its partners as of now: edges to partners it no longer shares go, new ones come.
    channel.addCustomer(customer);
    sync();
    details.replaceChildren(...customerDetails(customer));
  } catch (error) {
    details.replaceChildren(el("p", { className: "error" }, `Details could not be loaded: ${describe(error)}`));
  }
}

function customerDetails(customer: NonNullable<ExplorerCustomerQuery["customer"]>): HTMLElement[] {
  const parts: HTMLElement[] = [
    el("h2", {}, customer.companyName),
    table([
      ["Domain", customer.domain],
      ["Country", customer.countryCode],
      ["Partners of record (T-3)", customer.partners.map((p) => `${p.name} (${p.kind.toLowerCase()})`).join(", ") || "–"],
    ]),
    el("h3", {}, "Channel paths"),
    customer.channelPaths.length === 0
      ? el("p", {}, "No provider-reseller path in your scope.")
      : grid(
          ["Provider", "Reseller", "Provider can order (D-12)"],
          customer.channelPaths.map((p) => [p.provider.name, p.reseller.name, p.providerCanOrder ? "yes" : "no"]),
        ),
    el("h3", {}, "Subscriptions"),
    customer.subscriptions.length === 0
      ? el("p", {}, "None.")
      : grid(
          ["Offer", "Family", "Qty", "Status", "Sold through", "Ordered by", "Partner of record"],
          customer.subscriptions.map((s) => [s.offerName, s.productFamily, String(s.quantity), s.status, s.soldThrough?.name ?? "–", s.orderedBy?.name ?? "–", s.partnerIdOnRecord ?? "–"]),
        ),
    el("h3", {}, "Delegated admin (D-25)"),
    customer.delegatedAdminRelationships.length === 0
      ? el("p", {}, "No relationship of your organisation.")
      : grid(
          ["Status", "Roles", "Days", "Auto-extend", "Ends"],
          customer.delegatedAdminRelationships.map((r) => [r.status, r.roles.join(", "), String(r.durationDays), r.autoExtend ? "yes" : "no", r.endsAt?.slice(0, 10) ?? "–"]),
        ),
  ];
  return parts;
}

function table(rows: [string, string][]): HTMLTableElement {
  return el("table", { className: "facts" }, ...rows.map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", {}, v))));
}

function grid(head: string[], rows: string[][]): HTMLTableElement {
  return el("table", { className: "grid" }, el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))), el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c))))));
}

// ------------------------------------------------------------------ export

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
const stamp = () => new Date().toISOString().slice(0, 19).replaceAll(":", "-");

$("export-csv").addEventListener("click", () => {
  if (!channel || !cy) return;
  const visible = new Set(cy.nodes().filter((n) => !n.hasClass("filtered-out")).map((n) => n.id()));
  download(`channel-${stamp()}.csv`, new Blob([channelCsv(channel, visible)], { type: "text/csv;charset=utf-8" }));
});

$("export-png").addEventListener("click", () => {
  if (!cy) return;
  const png = cy.png({ output: "blob", full: true, bg: "#ffffff", maxWidth: 4096, maxHeight: 4096 }) as unknown as Blob;
  download(`channel-${stamp()}.png`, png);
});

$("fit").addEventListener("click", () => cy?.animate({ fit: { eles: cy.elements(":visible"), padding: 30 }, duration: 250 }));

// ------------------------------------------------------------------ live (D-29)

function liveState(state: "live" | "retrying" | "closed", detail?: string): void {
  const badge = $("live");
  badge.dataset.state = state;
  // How often the live connection was lost and asked for again (with `after`): for people and tests.
  if (state === "retrying") badge.dataset.retries = String(Number(badge.dataset.retries ?? "0") + 1);
  badge.textContent = state === "live" ? "Live" : state === "retrying" ? "Reconnecting…" : `Not live${detail ? `: ${detail}` : ""}`;
}

const refreshing = new Set<string>();

/** A change in the channel: re-read what it touched through the API, and draw the answer. */
async function onEvent({ event }: ChannelEvent): Promise<void> {
  const c = channel;
  if (!c) return;
  $("events").prepend(el("li", {}, `${event.at.slice(11, 19)} ${event.type}: ${event.summary}`));
  try {
    if (event.type === "CUSTOMER_RELATIONSHIP_ACCEPTED" || event.type === "CUSTOMER_RELATIONSHIP_ENDED") {
      if (!allowed.customers || refreshing.has(event.subjectId)) return;
      refreshing.add(event.subjectId);
      try {
        const { customer } = await run("ExplorerCustomer", { id: event.subjectId });
        const wasDrawn = c.nodes.has(event.subjectId);
        if (customer) {
          const added = c.addCustomer(customer as ExplorerCustomerNodeFragment);
          if (added.length > 0 && event.type === "CUSTOMER_RELATIONSHIP_ACCEPTED") c.own = { ...c.own, total: c.own.total + 1, loaded: c.own.loaded };
          for (const partner of customer.partners) {
            const paging = c.shared.get(partner.id);
            if (paging && added.length > 0) c.shared.set(partner.id, { ...paging, total: paging.total + 1, loaded: paging.loaded + 1 });
          }
        } else if (wasDrawn) {
          c.removeCustomer(event.subjectId);
          c.own = { ...c.own, total: Math.max(0, c.own.total - 1) };
        }
      } finally {
        refreshing.delete(event.subjectId);
      }
    } else if (allowed.partnerships) {
      if (event.type === "PARTNERSHIP_ENDED" && c.self.kind === "PROVIDER") {
        if (c.removePartner(event.subjectId).length > 0) c.partners = { ...c.partners, total: Math.max(0, c.partners.total - 1), loaded: Math.max(0, c.partners.loaded - 1) };
      } else await reloadPartnerships();
    }
    sync();
    document.body.dataset.liveEvents = String(Number(document.body.dataset.liveEvents ?? "0") + 1);
  } catch (error) {
    say(`A live update could not be applied: ${describe(error)}`, "error");
  }
}

/** After a partnership changed: the partnership pages again, adding new partners and removing ended ones. */
async function reloadPartnerships(): Promise<void> {
  const c = channel!;
  const before = new Set(c.partnerNodes().map((n) => n.id));
  const pages = Math.max(1, Math.ceil(c.partners.loaded / PARTNER_PAGE));
  c.partners = { ...c.partners, endCursor: null, loaded: 0 };
  const seen = new Set<string>();
  for (let i = 0; i < pages; i += 1) {
    for (const partner of await loadPartnerships()) seen.add(partner.id);
    if (!c.partners.hasNextPage) break;
  }
  const complete = !c.partners.hasNextPage;
  for (const id of before) if (!seen.has(id) && complete) c.removePartner(id);
}

// ------------------------------------------------------------------ start

document.body.dataset.liveEvents = "0";
if (signedIn()) void open();
else showSignIn();
