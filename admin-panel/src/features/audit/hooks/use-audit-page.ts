/** The audit page: filters (object, admin, local dates in the server's zone), the page, and the rows. */
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { queryTableProps } from "@/components/data-table";
import { useTimeZone } from "@/components/time-zone";
import { useListState } from "@/hooks/use-list-state";
import { useI18n } from "@/lib/i18n";
import { addDays, dayjs, startOfLocalDay } from "@/lib/time";
import { auditAdminsQueryOptions, auditQueryOptions } from "../api/audit";

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_ENTITIES = ["slot", "booking", "candidate", "broadcast", "admin"] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export type AuditListFilters = {
  entity_type: AuditEntity | undefined;
  /** An admin's id, as a string (the select's value). */
  admin: string | undefined;
  /** Local dates, `YYYY-MM-DD`, both included; "" for open. */
  from: string;
  to: string;
};

export function useAuditPage() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  const list = useListState<AuditListFilters>({ entity_type: undefined, admin: undefined, from: "", to: "" }, AUDIT_PAGE_SIZE);
  const { entity_type, admin, from, to } = list.filters;
  const rangeOk = !from || !to || !dayjs(to).isBefore(dayjs(from));
  const admins = useQuery(auditAdminsQueryOptions());
  const audit = useQuery({
    ...auditQueryOptions({
      entity_type,
      admin_id: admin ? Number(admin) : undefined,
      from: from ? startOfLocalDay(from, tz) : undefined,
      to: to ? startOfLocalDay(addDays(to, 1), tz) : undefined,
      limit: AUDIT_PAGE_SIZE,
      offset: list.offset,
    }),
    enabled: rangeOk,
  });
  const table = {
    ...queryTableProps(audit),
    paging: list.paging(audit.data?.total),
    emptyMessage: list.filtered ? t.audit.emptyFiltered : t.audit.empty,
    emptyAction: list.filtered ? { label: t.common.resetFilters, onClick: list.resetFilters } : { label: t.audit.toSlots, onClick: () => navigate("/slots") },
  };
  const adminOptions = (admins.data ?? []).map((a) => ({ value: String(a.id), label: a.username }));
  return { list, table, rangeOk, adminOptions };
}
