import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { ErrorState, Loading } from "@/components/query-state";
import { meQueryOptions } from "../api/auth";

/** Shows children to a logged-in admin; sends anyone else to the login page, remembering where they were. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useQuery(meQueryOptions());
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const from = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(from)}`} replace />;
  }
  return <>{children}</>;
}
