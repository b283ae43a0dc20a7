/** The audit page: the entity filter, the page, and the table's rows and empty state. */
import { useQuery } from "@tanstack/react-query";
import { queryTableProps } from "@/components/data-table";
import { useListState } from "@/hooks/use-list-state";
import { useI18n } from "@/lib/i18n";
import { auditQueryOptions } from "../api/audit";

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_ENTITIES = ["slot", "booking", "candidate", "broadcast", "admin"] as const;

export function useAuditPage() {
  const { t } = useI18n();
  const list = useListState<{ entity_type: string | undefined }>({ entity_type: undefined }, AUDIT_PAGE_SIZE);
  const audit = useQuery(auditQueryOptions({ entity_type: list.filters.entity_type, limit: AUDIT_PAGE_SIZE, offset: list.offset }));
  const table = {
    ...queryTableProps(audit),
    paging: list.paging(audit.data?.total),
    emptyMessage: list.filtered ? t.audit.emptyFiltered : t.audit.empty,
    emptyAction: list.filtered ? { label: t.common.resetFilters, onClick: list.resetFilters } : undefined,
  };
  return { list, table };
}
