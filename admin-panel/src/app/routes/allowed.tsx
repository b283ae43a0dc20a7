/** Route guards by role: a page the role may not use says so; the start page depends on the role. */
import type { ReactNode } from "react";
import { Navigate } from "react-router";
import { Forbidden } from "@/components/forbidden";
import { Loading } from "@/components/query-state";
import { useRole } from "@/features/auth/hooks/use-role";
import { homeOf, type Area } from "@/features/auth/lib/roles";

export function Allowed({ area, children }: { area: Area; children: ReactNode }) {
  const { role, can } = useRole();
  if (!role) return <Loading />;
  return can(area) ? <>{children}</> : <Forbidden home={homeOf(role)} />;
}

/** "/": the dashboard, or an interviewer's own interviews. */
export function HomeRoute({ dashboard }: { dashboard: ReactNode }) {
  const { role, can } = useRole();
  if (!role) return <Loading />;
  return can("dashboard") ? <>{dashboard}</> : <Navigate to={homeOf(role)} replace />;
}
