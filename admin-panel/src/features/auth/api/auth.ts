import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, unwrap, type Schemas } from "@/lib/api-client";

/** The logged-in admin, or null when there is no session. */
export const meQueryOptions = () =>
  queryOptions({
    queryKey: ["auth", "me"],
    queryFn: async (): Promise<Schemas["AdminView"] | null> => {
      try {
        return await unwrap(api.GET("/api/auth/me"));
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["LoginRequest"]) => unwrap(api.POST("/api/auth/login", { body })),
    onSuccess: (admin) => qc.setQueryData(meQueryOptions().queryKey, admin),
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/logout")),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(meQueryOptions().queryKey, null);
    },
  });
}
