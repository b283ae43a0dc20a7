import { Stack, Title } from "@mantine/core";
import { DataTable } from "@/components/data-table";
import { DateField } from "@/components/date-fields";
import { ChoiceFilter, FilterBar } from "@/components/filter-bar";
import { useZoneAside } from "@/components/time-zone";
import { useAuditColumns } from "@/features/audit/components/audit-columns";
import { AUDIT_ENTITIES, useAuditPage } from "@/features/audit/hooks/use-audit-page";
import { useI18n } from "@/lib/i18n";

export function AuditRoute() {
  const { t } = useI18n();
  const zoneAside = useZoneAside();
  const { list, table, rangeOk, adminOptions } = useAuditPage();
  const columns = useAuditColumns();
  const { filters, setFilter } = list;
  return (
    <Stack>
      <Title order={2}>{t.audit.title}</Title>
      <FilterBar filtered={list.filtered} onReset={list.resetFilters}>
        <ChoiceFilter
          label={t.audit.entity}
          value={filters.entity_type}
          options={AUDIT_ENTITIES.map((e) => ({ value: e, label: t.audit.entities[e] }))}
          onChange={(v) => setFilter("entity_type", v)}
        />
        <ChoiceFilter label={t.audit.admin} value={filters.admin} options={adminOptions} onChange={(v) => setFilter("admin", v)} />
        <DateField label={`${t.common.from} ${zoneAside}`} value={filters.from} onChange={(v) => setFilter("from", v)} />
        <DateField label={t.common.to} value={filters.to} error={rangeOk ? undefined : t.bulk.errors.range} onChange={(v) => setFilter("to", v)} />
      </FilterBar>
      <DataTable columns={columns} rowKey={(e) => e.id} label={t.audit.title} {...table} />
    </Stack>
  );
}
