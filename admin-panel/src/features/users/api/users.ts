import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api-client";

export type UserFilters = { q?: string; status?: Schemas["CandidateStatus"]; limit: number; offset: number };

export const usersQueryOptions = (filters: UserFilters) =>
  queryOptions({
    queryKey: ["users", "list", filters],
    queryFn: () => unwrap(api.GET("/api/users", { params: { query: filters } })),
    placeholderData: (prev) => prev,
  });

/** A candidate with their booking history and the messages sent to them. */
export const userQueryOptions = (id: number) =>
  queryOptions({
    queryKey: ["users", "detail", id],
    queryFn: () => unwrap(api.GET("/api/users/{id}", { params: { path: { id } } })),
  });

export function useSetBlocked() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, blocked }: { id: number; blocked: boolean }) =>
      blocked
        ? unwrap(api.POST("/api/users/{id}/block", { params: { path: { id } } }))
        : unwrap(api.POST("/api/users/{id}/unblock", { params: { path: { id } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["users"] });
      // Blocked candidates leave every segment.
      void qc.invalidateQueries({ queryKey: ["broadcasts", "recipients"] });
    },
  });
}
