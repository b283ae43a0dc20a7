import { Stack, Title } from "@mantine/core";
import { DataTable } from "@/components/data-table";
import { ChoiceFilter, FilterBar, SearchFilter } from "@/components/filter-bar";
import { useCandidateColumns } from "@/features/users/components/candidate-columns";
import { useCandidatesPage } from "@/features/users/hooks/use-candidates-page";
import { useI18n } from "@/lib/i18n";

export function CandidatesRoute() {
  const { t } = useI18n();
  const { list, table } = useCandidatesPage();
  const columns = useCandidateColumns();
  return (
    <Stack>
      <Title order={2}>{t.candidates.title}</Title>
      <FilterBar cols={{ base: 1, xs: 2 }} filtered={list.filtered} onReset={list.resetFilters}>
        <SearchFilter label={t.common.search} placeholder={t.candidates.search} value={list.filters.q} onChange={(q) => list.setFilter("q", q)} />
        <ChoiceFilter
          label={t.common.status}
          value={list.filters.status}
          options={(["active", "blocked", "unreachable"] as const).map((s) => ({ value: s, label: t.candidates.status[s] }))}
          onChange={(v) => list.setFilter("status", v)}
        />
      </FilterBar>
      <DataTable columns={columns} rowKey={(c) => c.id} minWidth={560} label={t.candidates.title} {...table} />
    </Stack>
  );
}
