import neo4j from "neo4j-driver";
import { cypher } from "../src/shared/neo4j/queries.ts";
const d = neo4j.driver(process.env.NEO4J_URI!, neo4j.auth.basic("neo4j", process.env.NEO4J_PASSWORD!));
const s0 = d.session();
const u = (await s0.run(`MATCH (u:User {email: $e})-[:MEMBER_OF]->(p) RETURN u.id AS uid, p.id AS pid`, { e: process.argv[2] })).records[0]!;
await s0.close();
const uid = u.get("uid"), pid = u.get("pid");
const data = { viewerPartnerId: pid, ids: [pid], withShared: true, sharedLimit: neo4j.int(21), sharedAfterKey: null, sharedAfterId: null };
async function time(name: string, q: string, p: any, n = 100) {
  const t = [];
  for (let i = 0; i < n; i++) { const s = d.session({ defaultAccessMode: neo4j.session.READ }); const a = performance.now(); await s.run(q, p); t.push(performance.now() - a); await s.close(); }
  t.sort((a, b) => a - b); console.log(name, "p50", t[n >> 1].toFixed(2));
}
for (let r = 0; r < 2; r++) {
  await time("viewer", cypher("auth/viewer"), { userId: uid, withStats: false });
  await time("data", cypher("partners/indirect-providers"), data);
  await time("fused", cypher("auth/viewer+partners/indirect-providers"), { ...data, userId: uid, withStats: false });
}
await d.close();
