import { Stack, Title } from "@mantine/core";
import { DataTable } from "@/components/data-table";
import { ChoiceFilter, FilterBar } from "@/components/filter-bar";
import { useAuditColumns } from "@/features/audit/components/audit-columns";
import { AUDIT_ENTITIES, useAuditPage } from "@/features/audit/hooks/use-audit-page";
import { useI18n } from "@/lib/i18n";

export function AuditRoute() {
  const { t } = useI18n();
  const { list, table } = useAuditPage();
  const columns = useAuditColumns();
  return (
    <Stack>
      <Title order={2}>{t.audit.title}</Title>
      <FilterBar filtered={list.filtered} onReset={list.resetFilters}>
        <ChoiceFilter
          label={t.audit.entity}
          value={list.filters.entity_type}
          options={AUDIT_ENTITIES.map((e) => ({ value: e, label: e }))}
          onChange={(v) => list.setFilter("entity_type", v)}
        />
      </FilterBar>
      <DataTable columns={columns} rowKey={(e) => e.id} label={t.audit.title} {...table} />
    </Stack>
  );
}
