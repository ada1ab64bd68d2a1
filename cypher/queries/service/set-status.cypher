// The operator sets the status of one Microsoft cloud service (C2 reads it per customer).
MATCH (st:ServiceStatus {service: $service})
SET st.status = $status, st.updatedAt = datetime({epochMillis: $now})
RETURN st {@service-health} AS service
