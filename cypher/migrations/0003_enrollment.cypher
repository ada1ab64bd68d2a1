// Enrollment (D-1..D-4). A tenant domain belongs to one partner (product decision): the plain
// index of 0002 is replaced by a uniqueness constraint (Neo4j refuses a constraint over an
// existing index on the same label and property). The primary contact's email-verification
// token is stored only as a SHA-256 hash (T-5): a pending one is unique and looked up by hash;
// a used one is kept (as `usedVerificationTokenHash`) only so that a second use reads CONFLICT.
DROP INDEX partner_tenant_domain IF EXISTS;
CREATE CONSTRAINT partner_tenant_domain_unique IF NOT EXISTS FOR (p:Partner) REQUIRE p.tenantDomain IS UNIQUE;
CREATE CONSTRAINT partner_verification_token IF NOT EXISTS FOR (p:Partner) REQUIRE p.verificationTokenHash IS UNIQUE;
CREATE INDEX partner_used_verification_token IF NOT EXISTS FOR (p:Partner) ON (p.usedVerificationTokenHash);
