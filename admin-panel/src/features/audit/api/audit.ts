import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api-client";

export type AuditFilters = { entity_type?: string; limit: number; offset: number };

export const auditQueryOptions = (filters: AuditFilters) =>
  queryOptions({
    queryKey: ["audit", filters],
    queryFn: () => unwrap(api.GET("/api/audit", { params: { query: filters } })),
    placeholderData: (prev) => prev,
  });
