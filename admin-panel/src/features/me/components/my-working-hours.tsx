/**
 * "Рабочие часы": when the signed-in account interviews. Bulk generation gives an interviewer
 * slots only inside these windows; with none, any time. Edited as rows (weekday, from, to) and
 * saved at once.
 */
import { ActionIcon, Alert, Button, Card, Group, Select, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { TimeField } from "@/components/date-fields";
import { errorMessage, QueryState } from "@/components/query-state";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { useSaveWorkingHours, workingHoursQueryOptions } from "../api/working-hours";

type Row = { weekday: string; start: string; end: string };

const hm = (t: string) => t.slice(0, 5);

/** The rows as the API takes them, or the index of the first row that does not make sense. */
export function toWindows(rows: Row[]): Schemas["WorkingWindow"][] | number {
  const bad = rows.findIndex((r) => !/^\d{2}:\d{2}$/.test(r.start) || !/^\d{2}:\d{2}$/.test(r.end) || r.end <= r.start);
  if (bad >= 0) return bad;
  return rows.map((r) => ({ weekday: Number(r.weekday), start: `${r.start}:00`, end: `${r.end}:00` }));
}

export function MyWorkingHours() {
  const { t } = useI18n();
  const hours = useQuery(workingHoursQueryOptions());
  const save = useSaveWorkingHours();
  // The saved hours until the first edit; the edited rows from then on.
  const [edited, setEdited] = useState<Row[] | null>(null);
  const rows: Row[] = edited ?? (hours.data ?? []).map((w) => ({ weekday: String(w.weekday), start: hm(w.start), end: hm(w.end) }));
  const setRows = (f: (rs: Row[]) => Row[]) => setEdited(f(rows));
  const [invalid, setInvalid] = useState<number | null>(null);
  const days = t.bulk.weekdayShort.map((label, i) => ({ value: String(i + 1), label }));
  const update = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = () => {
    const windows = toWindows(rows);
    if (typeof windows === "number") return setInvalid(windows);
    setInvalid(null);
    save.mutate(windows, {
      onSuccess: () => notifications.show({ color: "green", message: t.workingHours.saved }),
      onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
    });
  };
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>{t.workingHours.title}</Title>
        <Text size="sm">{t.workingHours.help}</Text>
        <QueryState query={hours}>
          {() => (
            <>
              {rows.length === 0 && <Text size="sm" c="dimmed">{t.workingHours.anyTime}</Text>}
              {rows.map((r, i) => (
                <Group key={i} gap="xs" align="flex-end" wrap="nowrap" data-testid="working-window">
                  <Select
                    aria-label={`${t.workingHours.weekday} ${i + 1}`}
                    data={days}
                    value={r.weekday}
                    allowDeselect={false}
                    onChange={(v) => v && update(i, { weekday: v })}
                    w={90}
                  />
                  <TimeField aria-label={`${t.workingHours.from} ${i + 1}`} value={r.start} onChange={(v) => update(i, { start: v })} />
                  <TimeField aria-label={`${t.workingHours.to} ${i + 1}`} value={r.end} onChange={(v) => update(i, { end: v })} error={invalid === i ? t.workingHours.invalid : undefined} />
                  <ActionIcon variant="subtle" color="red" mb={6} aria-label={`${t.common.delete} ${i + 1}`} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                    ×
                  </ActionIcon>
                </Group>
              ))}
              {invalid !== null && (
                <Alert color="red" role="alert">
                  {t.workingHours.invalid}
                </Alert>
              )}
              <Group>
                <Button variant="light" size="xs" onClick={() => setRows((rs) => [...rs, { weekday: "1", start: "09:00", end: "18:00" }])}>
                  {t.workingHours.add}
                </Button>
                <Button size="xs" onClick={submit} loading={save.isPending}>
                  {t.common.save}
                </Button>
              </Group>
            </>
          )}
        </QueryState>
      </Stack>
    </Card>
  );
}
