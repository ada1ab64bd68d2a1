// A service request as every query returns it: ServiceRequestRecord
// (src/modules/service/service.repository.ts), inside the map projection of the request: `sr {@service-request}`.
.id, .title, .description, .severity, .status, .createdAt
