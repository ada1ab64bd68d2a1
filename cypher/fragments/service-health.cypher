// The status of one Microsoft cloud service as every query returns it: ServiceHealth
// (src/modules/customers/customer.type.ts), inside the map projection of the ServiceStatus node:
// `st {@service-health}`.
.service, .productFamily, .status, .updatedAt
