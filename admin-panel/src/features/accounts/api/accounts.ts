/** The team's accounts (admins only): the list, inviting, renaming, roles, access and password links. */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/lib/api-client";

export type Account = Schemas["AccountRow"];
export type SetPasswordLink = Schemas["SetPasswordLink"];

export const accountsQueryOptions = () =>
  queryOptions({
    queryKey: ["accounts", "list"],
    queryFn: () => unwrap(api.GET("/api/accounts")),
  });

/** Who can be an interviewer of a slot (recruiters and admins ask), for the slot forms and filters. */
export const interviewersQueryOptions = () =>
  queryOptions({
    queryKey: ["accounts", "interviewers"],
    queryFn: () => unwrap(api.GET("/api/interviewers")),
    staleTime: 60_000,
  });

/** The address a set-password token opens: the token in the fragment never reaches a server's logs. */
export const setPasswordUrl = (token: string, origin = window.location.origin) => `${origin}/set-password#${token}`;

// Accounts' names and roles show in the interviewer selects and in the signed-in header.
function useInvalidateAccounts() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ["accounts"] });
    void qc.invalidateQueries({ queryKey: ["auth"] });
  };
}

export function useInviteAccount() {
  const invalidate = useInvalidateAccounts();
  return useMutation({
    mutationFn: (body: Schemas["NewAccount"]) => unwrap(api.POST("/api/accounts", { body })),
    onSuccess: invalidate,
  });
}

export function useChangeAccount() {
  const invalidate = useInvalidateAccounts();
  return useMutation({
    mutationFn: ({ id, changes }: { id: number; changes: Schemas["AccountChanges"] }) =>
      unwrap(api.PATCH("/api/accounts/{id}", { params: { path: { id } }, body: changes })),
    onSuccess: invalidate,
  });
}

export type AccountAction = "deactivate" | "reactivate" | "reset";

/** Deactivate and reactivate answer the account; a reset answers a new set-password link. */
export function useAccountAction() {
  const invalidate = useInvalidateAccounts();
  return useMutation({
    mutationFn: async ({ id, action }: { id: number; action: AccountAction }): Promise<SetPasswordLink | null> => {
      const path = { params: { path: { id } } };
      if (action === "reset") return unwrap(api.POST("/api/accounts/{id}/reset-password", path));
      if (action === "deactivate") await unwrap(api.POST("/api/accounts/{id}/deactivate", path));
      else await unwrap(api.POST("/api/accounts/{id}/reactivate", path));
      return null;
    },
    onSuccess: invalidate,
  });
}

/** Whose account a set-password token is for (no session needed); 404 for a dead link. */
export const passwordLinkQueryOptions = (token: string) =>
  queryOptions({
    queryKey: ["password-link", token],
    queryFn: () => unwrap(api.POST("/api/auth/password-link", { body: { token } })),
    retry: false,
    staleTime: Infinity,
  });

export function useSetPassword() {
  return useMutation({
    mutationFn: (body: Schemas["SetPassword"]) => unwrap(api.POST("/api/auth/set-password", { body })),
  });
}
