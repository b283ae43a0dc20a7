import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api-client";

export type AuditFilters = {
  entity_type?: string;
  admin_id?: number;
  /** Instants (RFC 3339): from included, to excluded. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
};

export const auditQueryOptions = (filters: AuditFilters) =>
  queryOptions({
    queryKey: ["audit", filters],
    queryFn: () => unwrap(api.GET("/api/audit", { params: { query: filters } })),
    placeholderData: (prev) => prev,
  });

/** Whom the log can be filtered by. */
export const auditAdminsQueryOptions = () =>
  queryOptions({
    queryKey: ["audit", "admins"],
    queryFn: () => unwrap(api.GET("/api/audit/admins")),
    staleTime: 5 * 60_000,
  });
