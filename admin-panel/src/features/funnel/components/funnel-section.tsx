/**
 * The dashboard's hiring funnel: a period, a funnel per vacancy with each step's share of the one
 * before, a table by source, and the CSV download.
 */
import { FunnelChart } from "@mantine/charts";
import { Button, Card, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { DataTable, type Column } from "@/components/data-table";
import { DateField } from "@/components/date-fields";
import { Empty, QueryState } from "@/components/query-state";
import { useTimeZone, useZoneAside } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { addDays, todayIn } from "@/lib/time";
import { funnelCsvUrl, funnelQueryOptions, type FunnelRange } from "../api/funnel";
import { OUTCOMES, conversion, percent, rate, sourceLabel, stepsOf, type Counts } from "../lib/funnel";

const COLORS = ["indigo.7", "indigo.5", "teal.6", "green.6"];

function VacancyFunnel({ row }: { row: Schemas["VacancyRow"] }) {
  const { t } = useI18n();
  const steps = stepsOf(row);
  const title = row.vacancy_title ?? t.funnel.anyVacancy;
  // Rows of a list, not a table: on a phone the dashboard shows no tables (they become cards).
  const line = (key: string, label: string, value: number, note: string, dimmed = false) => (
    <Group key={key} role="listitem" gap="xs" wrap="nowrap">
      <Text size="sm" c={dimmed ? "dimmed" : undefined} w={90}>
        {label}
      </Text>
      <Text size="sm" fw={dimmed ? undefined : 600} w={36} ta="right">
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {note}
      </Text>
    </Group>
  );
  return (
    <Card withBorder data-testid="vacancy-funnel">
      <Text fw={600} mb="xs">
        {title}
      </Text>
      <Group align="center" gap="md">
        {row.opened > 0 && (
          <FunnelChart size={140} withTooltip={false} data={steps.map((s, i) => ({ name: t.funnel.steps[s.step], value: s.value, color: COLORS[i]! }))} />
        )}
        <Stack gap={2} role="list" aria-label={title}>
          {steps.map((s) => line(s.step, t.funnel.steps[s.step], s.value, s.ofPrevious === null ? "" : t.funnel.ofPrevious(percent(s.ofPrevious))))}
          {OUTCOMES.map((o) => line(o, t.funnel.steps[o], row[o], "", true))}
        </Stack>
      </Group>
    </Card>
  );
}

/** A count with, below it, its share of the step before. */
function StepCell({ value, of }: { value: number; of?: number }) {
  return (
    <>
      <Text size="sm">{value}</Text>
      {of !== undefined && (
        <Text size="xs" c="dimmed">
          {percent(rate(value, of))}
        </Text>
      )}
    </>
  );
}

function SourceTable({ rows }: { rows: Schemas["SourceRow"][] }) {
  const { t } = useI18n();
  const steps = t.funnel.steps;
  const num = (key: keyof Counts, of?: keyof Counts): Column<Schemas["SourceRow"]> => ({
    key,
    header: steps[key],
    align: "right",
    cell: (r) => <StepCell value={r[key]} of={of ? r[of] : undefined} />,
  });
  const columns: Column<Schemas["SourceRow"]>[] = [
    { key: "source", header: t.funnel.source, cardPriority: 1, cell: (r) => <Text fw={500}>{sourceLabel(t, r)}</Text> },
    { key: "vacancy", header: t.funnel.vacancy, cardPriority: 2, cell: (r) => r.vacancy_title ?? t.funnel.anyVacancy },
    num("opened"),
    num("answered", "opened"),
    num("booked", "answered"),
    num("attended", "booked"),
    num("no_show", "booked"),
    num("cancelled", "booked"),
    { key: "conversion", header: t.funnel.bookedOfOpened, align: "right", cell: (r) => <Text fw={600}>{percent(conversion(r))}</Text> },
  ];
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(r) => `${r.vacancy_id ?? "-"}:${r.link_id ?? "-"}`}
      minWidth={900}
      label={t.funnel.bySource}
    />
  );
}

export function FunnelSection() {
  const { t, lang } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  const zoneAside = useZoneAside();
  const today = todayIn(tz);
  const [range, setRange] = useState<FunnelRange>({ from: addDays(today, -30), to: today });
  const ok = Boolean(range.from && range.to && range.from <= range.to);
  const funnel = useQuery({ ...funnelQueryOptions(range), enabled: ok });
  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between" align="flex-end">
          <Text fw={600}>{t.funnel.title}</Text>
          <Group align="flex-end" gap="xs">
            <DateField w={170} label={`${t.common.from} ${zoneAside}`} value={range.from} onChange={(from) => setRange((r) => ({ ...r, from }))} />
            <DateField w={150} label={t.common.to} value={range.to} error={ok || !range.from || !range.to ? undefined : t.funnel.badRange} onChange={(to) => setRange((r) => ({ ...r, to }))} />
            <Button component="a" variant="light" href={ok ? funnelCsvUrl(range, lang) : undefined} disabled={!ok} download>
              {t.funnel.download}
            </Button>
          </Group>
        </Group>
        {ok && (
          <QueryState query={funnel}>
            {(f) =>
              f.vacancies.every((v) => v.opened === 0) && f.sources.every((s) => s.opened === 0) ? (
                <Empty action={{ label: t.funnel.toInvitations, onClick: () => navigate("/invitations") }}>{t.funnel.empty}</Empty>
              ) : (
                <>
                  <Text size="sm" fw={500}>
                    {t.funnel.byVacancy}
                  </Text>
                  <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
                    {f.vacancies.map((v) => (
                      <VacancyFunnel key={v.vacancy_id ?? "any"} row={v} />
                    ))}
                  </SimpleGrid>
                  <Text size="sm" fw={500}>
                    {t.funnel.bySource}
                  </Text>
                  <SourceTable rows={f.sources} />
                </>
              )
            }
          </QueryState>
        )}
      </Stack>
    </Card>
  );
}
