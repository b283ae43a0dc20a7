/** Pieces of the bulk generation form: weekdays, time windows, and the live preview. */
import { ActionIcon, Alert, Badge, Button, Chip, Group, List, Stack, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { TimeField } from "@/components/date-fields";
import { errorMessage } from "@/components/query-state";
import { useTimeZone, useZoneAside } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";
import type { BulkForm } from "../hooks/use-bulk-form";

export function WeekdayPicker({ form }: { form: BulkForm }) {
  const { t } = useI18n();
  return (
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
  );
}

export function TimeWindows({ form }: { form: BulkForm }) {
  const { t } = useI18n();
  const zoneAside = useZoneAside(form.values.from_date);
  return (
    <div>
      <Text size="sm" fw={500} mb={4}>
        {t.bulk.windows} {zoneAside}
      </Text>
      <Stack gap={6}>
        {form.values.windows.map((_, i) => (
          <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
            <TimeField aria-label={`${t.bulk.windowStart} ${i + 1}`} {...form.getInputProps(`windows.${i}.start`)} />
            <TimeField aria-label={`${t.bulk.windowEnd} ${i + 1}`} {...form.getInputProps(`windows.${i}.end`)} />
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
  );
}

/** What the plan would create and skip (nothing while the plan is invalid). */
export function BulkPreview({ valid, preview }: { valid: boolean; preview: UseQueryResult<Schemas["PlanOutcome"]> }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const data = preview.data;
  return (
    <Alert color={preview.isError ? "red" : "blue"} title={t.bulk.preview} data-testid="bulk-preview">
      {!valid ? null : preview.isError ? (
        errorMessage(preview.error)
      ) : data ? (
        <Stack gap={4}>
          <Text size="sm">{t.bulk.willCreate(data.created.length)}</Text>
          {data.skipped.length > 0 && (
            <>
              <Text size="sm">{t.bulk.willSkip(data.skipped.length)}</Text>
              <List size="xs" spacing={0}>
                {data.skipped.slice(0, 20).map((s) => (
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
  );
}
