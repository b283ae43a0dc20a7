/** The signed-in account's role and what it may use (see `lib/roles.ts`). */
import { useQuery } from "@tanstack/react-query";
import { meQueryOptions } from "../api/auth";
import { canUse, type Area } from "../lib/roles";

export function useRole() {
  const me = useQuery(meQueryOptions());
  const role = me.data?.role;
  return { me: me.data ?? undefined, role, can: (area: Area) => canUse(role, area) };
}
