/** Bulk generation: a plan, previewed live with `dry_run`, then created. */
import { ActionIcon, Alert, Badge, Button, Chip, Group, List, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { TimeInput } from "@mantine/dates";
import { useForm } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import type { Dict } from "@/lib/i18n/ru";
import { addDays, dayjs, formatDateTime, todayIn } from "@/lib/time";
import { bulkPreviewQueryOptions, useBulkCreate } from "../api/slots";

export type BulkValues = {
  from_date: string;
  to_date: string;
  weekdays: string[];
  windows: { start: string; end: string }[];
  duration_minutes: number | string;
  gap_minutes: number | string;
  capacity: number | string;
  format: string;
  location: string;
};

export function validateBulk(v: BulkValues, t: Dict): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.from_date) e.from_date = t.common.required;
  if (!v.to_date) e.to_date = t.common.required;
  if (v.from_date && v.to_date) {
    const days = dayjs(v.to_date).diff(dayjs(v.from_date), "day");
    if (days < 0) e.to_date = t.bulk.errors.range;
    else if (days > 92) e.to_date = t.bulk.errors.tooLong;
  }
  if (v.weekdays.length === 0) e.weekdays = t.bulk.errors.weekdays;
  if (v.windows.length === 0) e.windows = t.bulk.errors.windows;
  v.windows.forEach((w, i) => {
    if (!/^\d{2}:\d{2}$/.test(w.start)) e[`windows.${i}.start`] = t.common.required;
    if (!/^\d{2}:\d{2}$/.test(w.end)) e[`windows.${i}.end`] = t.common.required;
    else if (w.end <= w.start) e[`windows.${i}.end`] = t.bulk.errors.windows;
  });
  const d = Number(v.duration_minutes);
  if (!Number.isInteger(d) || d < 5 || d > 480) e.duration_minutes = t.slots.errors.durationRange;
  const g = Number(v.gap_minutes);
  if (!Number.isInteger(g) || g < 0 || g > 240) e.gap_minutes = t.bulk.errors.gap;
  const c = Number(v.capacity);
  if (!Number.isInteger(c) || c < 1 || c > 100) e.capacity = t.slots.errors.capacityRange;
  return e;
}

export const toPlan = (v: BulkValues): Schemas["SlotPlan"] => ({
  from_date: v.from_date,
  to_date: v.to_date,
  weekdays: v.weekdays.map(Number).sort(),
  windows: v.windows,
  duration_minutes: Number(v.duration_minutes),
  gap_minutes: Number(v.gap_minutes),
  capacity: Number(v.capacity),
  format: v.format,
  location: v.location.trim() || null,
});

export function BulkForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const create = useBulkCreate();
  const today = todayIn(tz);
  const form = useForm<BulkValues>({
    initialValues: {
      from_date: addDays(today, 1),
      to_date: addDays(today, 7),
      weekdays: ["1", "2", "3", "4", "5"],
      windows: [{ start: "10:00", end: "13:00" }],
      duration_minutes: 45,
      gap_minutes: 15,
      capacity: 1,
      format: "online",
      location: "",
    },
    validate: (v) => validateBulk(v, t),
  });
  const valid = Object.keys(validateBulk(form.values, t)).length === 0;
  const [plan] = useDebouncedValue(valid ? toPlan(form.values) : null, 300);
  const preview = useQuery({ ...bulkPreviewQueryOptions(plan ?? toPlan(form.values)), enabled: valid && plan !== null });
  const count = preview.data?.created.length ?? 0;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        create.mutate(toPlan(v), {
          onSuccess: (out) => {
            notifications.show({ color: "green", message: t.bulk.done(out.created.length) });
            onDone();
          },
        }),
      )}
    >
      <Stack>
        <SimpleGrid cols={2}>
          <TextInput type="date" label={t.bulk.fromDate} {...form.getInputProps("from_date")} />
          <TextInput type="date" label={t.bulk.toDate} {...form.getInputProps("to_date")} />
        </SimpleGrid>
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t.bulk.weekdays}
          </Text>
          <Chip.Group multiple value={form.values.weekdays} onChange={(v) => form.setFieldValue("weekdays", v)}>
            <Group gap={6}>
              {t.bulk.weekdayShort.map((label, i) => (
                <Chip key={label} value={String(i + 1)} size="xs">
                  {label}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          {form.errors.weekdays && (
            <Text c="red" size="xs">
              {form.errors.weekdays}
            </Text>
          )}
        </div>
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t.bulk.windows} ({tz})
          </Text>
          <Stack gap={6}>
            {form.values.windows.map((_, i) => (
              <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
                <TimeInput aria-label={`${t.bulk.windowStart} ${i + 1}`} {...form.getInputProps(`windows.${i}.start`)} />
                <TimeInput aria-label={`${t.bulk.windowEnd} ${i + 1}`} {...form.getInputProps(`windows.${i}.end`)} />
                {form.values.windows.length > 1 && (
                  <ActionIcon variant="subtle" color="red" mt={6} aria-label={t.common.delete} onClick={() => form.removeListItem("windows", i)}>
                    ×
                  </ActionIcon>
                )}
              </Group>
            ))}
          </Stack>
          <Button mt={6} size="xs" variant="light" onClick={() => form.insertListItem("windows", { start: "14:00", end: "18:00" })}>
            {t.bulk.addWindow}
          </Button>
        </div>
        <SimpleGrid cols={{ base: 2, sm: 3 }}>
          <NumberInput label={t.slots.duration} min={5} max={480} step={15} {...form.getInputProps("duration_minutes")} />
          <NumberInput label={t.bulk.gap} min={0} max={240} step={5} {...form.getInputProps("gap_minutes")} />
          <NumberInput label={t.slots.capacity} min={1} max={100} {...form.getInputProps("capacity")} />
        </SimpleGrid>
        <SimpleGrid cols={2}>
          <Select label={t.slots.format} data={["online", "offline"]} allowDeselect={false} {...form.getInputProps("format")} />
          <TextInput label={t.slots.location} {...form.getInputProps("location")} />
        </SimpleGrid>
        <Alert color={preview.isError ? "red" : "blue"} title={t.bulk.preview} data-testid="bulk-preview">
          {!valid ? null : preview.isError ? (
            errorMessage(preview.error)
          ) : preview.data ? (
            <Stack gap={4}>
              <Text size="sm">{t.bulk.willCreate(preview.data.created.length)}</Text>
              {preview.data.skipped.length > 0 && (
                <>
                  <Text size="sm">{t.bulk.willSkip(preview.data.skipped.length)}</Text>
                  <List size="xs" spacing={0}>
                    {preview.data.skipped.slice(0, 20).map((s) => (
                      <List.Item key={s.local + s.reason}>
                        {s.starts_at ? formatDateTime(s.starts_at, tz) : s.local} <Badge size="xs" variant="light">{t.bulk.skipReason[s.reason]}</Badge>
                      </List.Item>
                    ))}
                  </List>
                </>
              )}
            </Stack>
          ) : (
            t.common.loading
          )}
        </Alert>
        {create.error && (
          <Alert color="red" role="alert">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={valid && preview.isSuccess && count === 0}>
            {t.bulk.submit(count)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
