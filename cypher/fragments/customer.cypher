// @params c
// A customer as every query returns it: CustomerRecord (src/modules/customers/customer.type.ts),
// key for key (test/shared/projections.test.ts checks). Written inside the map projection of
// customer `c`, so a query can add keys of its own: `c {@customer(c)}`, `c {@customer(c), partners: partners}`.
// createdAt as epoch milliseconds: the driver rebuilds a DateTime far more slowly than an integer
// (src/shared/graphql/instant.ts); the DateTimeISO scalar writes both the same.
.id, .companyName, .companyNameLower, .domain, .countryCode, createdAt: @c.createdAt.epochMillis
