// The channel as the page has loaded it: nodes, edges and the paging state of every list it came
// from, with no DOM (main.ts draws it with cytoscape). Everything here is what the API answered:
// the page holds no data of its own and no privilege the API did not grant (issue 16, point 4).
import type { ExplorerCustomerNodeFragment, ExplorerPartnerFragment, PartnerKind, ProductFamily } from "./operations.generated.js";

export type NodeKind = "self" | "provider" | "reseller" | "customer";
/**
 * partnership: the caller's organisation and a partner (INDIRECT_PROVIDER_OF, D-9);
 * resellerOfRecord: the caller's organisation and one of its customers (RESELLER_OF_RECORD, T-2);
 * shared: a partner and a customer both have a reseller relationship with (D-11).
 */
export type EdgeKind = "partnership" | "resellerOfRecord" | "shared";

export interface ChannelNode {
  id: string;
  kind: NodeKind;
  label: string;
  countryCode: string;
  /** Customers: their domain; partners: their MPN ID. */
  detail: string;
  /** Customers: the product families of their subscriptions, sorted. */
  productFamilies: ProductFamily[];
  /** Partners: when they and the caller's organisation became partners. */
  partnerSince: string | null;
  /** Customers: in the list of customers without a provider (D-27), when the page has asked. */
  withoutProvider: boolean;
  x: number;
  y: number;
}

export interface ChannelEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
}

/** Where a keyset-paged list stands: how many the API counts, how many the page has, and the cursor of the next page. */
export interface Paging {
  total: number;
  loaded: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

const edgeId = (kind: EdgeKind, a: string, b: string) => `${kind}:${a}:${b}`;
const partnerKind = (kind: PartnerKind): NodeKind => (kind === "PROVIDER" ? "provider" : "reseller");

/** Spacing of the drawing, in model units (cytoscape's pixels at zoom 1). */
const GAP = 64;
/** Customers per row of a partnership's fan. */
const PER_ROW = 5;

export class Channel {
  readonly nodes = new Map<string, ChannelNode>();
  readonly edges = new Map<string, ChannelEdge>();
  /** The edges into each node, by target id: a customer's edges without a walk over every edge (a page adds ~20 customers to ~1,600 edges). */
  private readonly into = new Map<string, Set<string>>();
  /** Each partnership's shared customers (D-11), by the partner's id. */
  readonly shared = new Map<string, Paging>();
  /** The partnerships themselves (a provider's resellers come a page at a time; a reseller's providers at once). */
  partners: Paging = { total: 0, loaded: 0, hasNextPage: false, endCursor: null };
  /** The caller's own customers list (RESELLER_OF_RECORD), as far as it has been paged. */
  own: Paging = { total: 0, loaded: 0, hasNextPage: false, endCursor: null };
  /** Customers placed around each partner, in the order they came (their place in its fan). */
  private readonly fans = new Map<string, string[]>();
  /** Customers on the inner ring (the caller's, not placed in a partner's fan). */
  private readonly ring: string[] = [];
  private partnerOrder: string[] = [];

  constructor(readonly self: { id: string; name: string; kind: PartnerKind; countryCode: string; mpnId: string }) {
    this.nodes.set(self.id, {
      id: self.id,
      kind: "self",
      label: self.name,
      countryCode: self.countryCode,
      detail: self.mpnId,
      productFamilies: [],
      partnerSince: null,
      withoutProvider: false,
      x: 0,
      y: 0,
    });
  }

  /** The other side of the caller's partnerships: resellers for a provider, providers for a reseller. */
  get partnerKind(): NodeKind {
    return this.self.kind === "PROVIDER" ? "reseller" : "provider";
  }

  /** Adds a page of partnerships, each with its first page of shared customers. Returns the nodes added. */
  addPartners(partners: ExplorerPartnerFragment[]): ChannelNode[] {
    const added: ChannelNode[] = [];
    for (const partner of partners) {
      if (!this.nodes.has(partner.id)) {
        const node: ChannelNode = {
          id: partner.id,
          kind: partnerKind(partner.kind),
          label: partner.name,
          countryCode: partner.countryCode,
          detail: partner.mpnId,
          productFamilies: [],
          partnerSince: partner.partnerSince,
          withoutProvider: false,
          x: 0,
          y: 0,
        };
        this.nodes.set(partner.id, node);
        this.partnerOrder.push(partner.id);
        this.fans.set(partner.id, []);
        added.push(node);
      }
      this.link("partnership", this.self.id, partner.id);
    }
    this.placePartners();
    for (const partner of partners) {
      this.shared.set(partner.id, { total: 0, loaded: 0, hasNextPage: false, endCursor: null });
      added.push(...this.addShared(partner.id, partner.sharedCustomers));
    }
    return added;
  }

  /** Removes a partnership (D-22) and the customers drawn only because of it (the paging of the partnerships is the caller's to update). Returns the ids removed. */
  removePartner(partnerId: string): string[] {
    if (!this.nodes.has(partnerId) || partnerId === this.self.id) return [];
    const removed = [partnerId];
    this.nodes.delete(partnerId);
    for (const edge of [...this.edges.values()]) if (edge.source === partnerId || edge.target === partnerId) this.unlink(edge);
    this.shared.delete(partnerId);
    this.partnerOrder = this.partnerOrder.filter((id) => id !== partnerId);
    for (const customerId of this.fans.get(partnerId) ?? []) {
      if (this.edgesInto(customerId).length === 0) {
        this.nodes.delete(customerId);
        removed.push(customerId);
      }
    }
    this.fans.delete(partnerId);
    this.placePartners();
    return removed;
  }

  /** Adds a page of a partnership's shared customers (D-11) and moves its paging on. Returns the nodes added. */
  addShared(partnerId: string, page: Connection<ExplorerCustomerNodeFragment>): ChannelNode[] {
    const paging = this.shared.get(partnerId) ?? { total: 0, loaded: 0, hasNextPage: false, endCursor: null };
    const added = page.edges.flatMap(({ node }) => this.addCustomer(node));
    this.shared.set(partnerId, {
      total: page.totalCount,
      loaded: paging.loaded + page.edges.length,
      hasNextPage: page.pageInfo.hasNextPage,
      endCursor: page.pageInfo.endCursor ?? paging.endCursor,
    });
    return added;
  }

  /** Adds a page of the caller's own customers and moves that list's paging on. */
  addOwn(page: Connection<ExplorerCustomerNodeFragment>): ChannelNode[] {
    const added = page.edges.flatMap(({ node }) => this.addCustomer(node));
    this.own = {
      total: page.totalCount,
      loaded: this.own.loaded + page.edges.length,
      hasNextPage: page.pageInfo.hasNextPage,
      endCursor: page.pageInfo.endCursor ?? this.own.endCursor,
    };
    return added;
  }

  /**
   * A customer as the API answered it (a page's node, a search hit, a live event's re-read): its
   * reseller-of-record edge to the caller and its shared edges to the partners drawn, as its
   * `partners` (T-3: the caller and the organisations it has a partnership with) say. Returns it
   * when it is new.
   */
  addCustomer(customer: ExplorerCustomerNodeFragment): ChannelNode[] {
    const known = this.nodes.get(customer.id);
    const node: ChannelNode = known ?? {
      id: customer.id,
      kind: "customer",
      label: customer.companyName,
      countryCode: customer.countryCode,
      detail: customer.domain,
      productFamilies: [],
      partnerSince: null,
      withoutProvider: false,
      x: 0,
      y: 0,
    };
    node.label = customer.companyName;
    node.countryCode = customer.countryCode;
    node.detail = customer.domain;
    node.productFamilies = [...new Set(customer.subscriptions.map((s) => s.productFamily))].sort();
    this.nodes.set(customer.id, node);
    this.relink(customer);
    if (known) return [];
    this.place(node, this.fanOf(customer));
    return [node];
  }

  /** A customer that left the caller's scope (its relationship ended, D-20): gone from the view. */
  removeCustomer(customerId: string): boolean {
    const node = this.nodes.get(customerId);
    if (!node || node.kind !== "customer") return false;
    this.nodes.delete(customerId);
    for (const edge of this.edgesInto(customerId)) this.unlink(edge);
    return true;
  }

  /** Marks the customers of a page of `customers(where: { withoutProvider: true })` (D-27). */
  markWithoutProvider(ids: string[]): void {
    for (const id of ids) {
      const node = this.nodes.get(id);
      if (node) node.withoutProvider = true;
    }
  }

  /** How many customers are drawn (no sort: read on every zoom step). */
  customerCount(): number {
    let count = 0;
    for (const node of this.nodes.values()) if (node.kind === "customer") count += 1;
    return count;
  }

  /** The edges into a node (a customer's reseller-of-record and shared edges, a partner's partnership). */
  edgesInto(id: string): ChannelEdge[] {
    return [...(this.into.get(id) ?? [])].map((edgeId) => this.edges.get(edgeId)!);
  }

  /** The customers drawn, in name order. */
  customers(): ChannelNode[] {
    return [...this.nodes.values()].filter((node) => node.kind === "customer").sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  }

  /** The partners drawn, in the order they came. */
  partnerNodes(): ChannelNode[] {
    return this.partnerOrder.map((id) => this.nodes.get(id)!);
  }

  /** The ids of a node's neighbours (the edges drawn). */
  neighbours(id: string): string[] {
    const out: string[] = [];
    for (const edge of this.edges.values()) {
      if (edge.source === id) out.push(edge.target);
      else if (edge.target === id) out.push(edge.source);
    }
    return out;
  }

  private relink(customer: ExplorerCustomerNodeFragment): void {
    const partnerIds = new Set(customer.partners.map((p) => p.id));
    for (const edge of this.edgesInto(customer.id)) if (!partnerIds.has(edge.source)) this.unlink(edge);
    for (const partner of customer.partners) {
      if (partner.id === this.self.id) this.link("resellerOfRecord", this.self.id, customer.id);
      else if (this.nodes.has(partner.id)) this.link("shared", partner.id, customer.id);
    }
  }

  /** The partner in whose fan a customer goes: its only partner drawn; one shared with several goes on the inner ring, between them. */
  private fanOf(customer: ExplorerCustomerNodeFragment): string | null {
    const drawn = customer.partners.filter((p) => p.id !== this.self.id && this.fans.has(p.id));
    return drawn.length === 1 ? drawn[0]!.id : null;
  }

  private link(kind: EdgeKind, source: string, target: string): void {
    const id = edgeId(kind, source, target);
    if (this.edges.has(id)) return;
    this.edges.set(id, { id, kind, source, target });
    let into = this.into.get(target);
    if (!into) this.into.set(target, (into = new Set()));
    into.add(id);
  }

  private unlink(edge: ChannelEdge): void {
    this.edges.delete(edge.id);
    const into = this.into.get(edge.target);
    into?.delete(edge.id);
    if (into?.size === 0) this.into.delete(edge.target);
  }

  // ------------------------------------------------------------------ layout
  // A preset layout, computed as nodes arrive (linear in what is drawn, so 1,000 nodes place at
  // once and a page added later does not move what the analyst is looking at): the caller's
  // organisation at the centre, its partners on a ring, each partner's shared customers in a fan
  // outside it, and the caller's other customers on an inner ring.

  private ringRadius(): number {
    return Math.max(300, (this.partnerOrder.length * GAP * PER_ROW * 0.8) / (2 * Math.PI));
  }

  private placePartners(): void {
    const radius = this.ringRadius();
    const count = Math.max(1, this.partnerOrder.length);
    this.partnerOrder.forEach((id, i) => {
      // From the left, clockwise: two partners sit left and right of the centre, which suits a wide screen.
      const angle = Math.PI + (2 * Math.PI * i) / count;
      const node = this.nodes.get(id)!;
      node.x = radius * Math.cos(angle);
      node.y = radius * Math.sin(angle);
      this.fans.get(id)!.forEach((customerId, j) => this.placeInFan(this.nodes.get(customerId), angle, node, j));
    });
    this.ring.forEach((customerId, j) => this.placeOnRing(this.nodes.get(customerId), j));
  }

  private place(node: ChannelNode, partnerId: string | null): void {
    if (partnerId) {
      const fan = this.fans.get(partnerId)!;
      fan.push(node.id);
      const partner = this.nodes.get(partnerId)!;
      this.placeInFan(node, Math.atan2(partner.y, partner.x), partner, fan.length - 1);
    } else {
      this.ring.push(node.id);
      // The inner ring grows outwards as it fills; earlier customers keep their place.
      this.placeOnRing(node, this.ring.length - 1);
    }
  }

  private placeInFan(node: ChannelNode | undefined, angle: number, partner: ChannelNode, j: number): void {
    if (!node) return;
    const row = Math.floor(j / PER_ROW);
    const col = j % PER_ROW;
    const out = 2.4 * GAP + row * GAP;
    const side = (col - (PER_ROW - 1) / 2) * GAP;
    node.x = partner.x + out * Math.cos(angle) - side * Math.sin(angle);
    node.y = partner.y + out * Math.sin(angle) + side * Math.cos(angle);
  }

  private placeOnRing(node: ChannelNode | undefined, j: number): void {
    if (!node) return;
    // 15 to the first ring, then rings of growing radius (each holds what its circumference does).
    let ring = 0;
    let first = 0;
    let size = 15;
    while (j >= first + size) {
      first += size;
      ring += 1;
      size = Math.floor((2 * Math.PI * (160 + ring * GAP)) / GAP);
    }
    const radius = 160 + ring * GAP;
    // Half a step off the partners' angles, so that a partnership edge does not run through a customer.
    const angle = -Math.PI / 2 + (2 * Math.PI * (j - first + 0.5)) / size + ring * 0.13;
    node.x = radius * Math.cos(angle);
    node.y = radius * Math.sin(angle);
  }
}
