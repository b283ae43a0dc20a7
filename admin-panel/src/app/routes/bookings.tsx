import { Anchor, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { ConfirmModal } from "@/components/confirm";
import { Pager } from "@/components/pager";
import { Empty, errorMessage, QueryState } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { bookingsQueryOptions, exportCsvUrl, useCancelBooking, useMarkAttendance } from "@/features/bookings/api/bookings";
import { useI18n } from "@/lib/i18n";
import { addDays, dayjs, formatDateTime, startOfLocalDay, todayIn } from "@/lib/time";

const LIMIT = 50;
const STATUSES: Schemas["BookingStatus"][] = ["active", "attended", "no_show", "cancelled_by_candidate", "cancelled_by_admin", "rescheduled"];

export function BookingsRoute() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const today = todayIn(tz);
  const [from, setFrom] = useState(addDays(today, -7));
  const [to, setTo] = useState(addDays(today, 28));
  const [status, setStatus] = useState<Schemas["BookingStatus"] | null>(null);
  const [q, setQ] = useState("");
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [offset, setOffset] = useState(0);
  const [cancelling, setCancelling] = useState<Schemas["BookingRow"] | null>(null);
  const rangeOk = !from || !to || !dayjs(to).isBefore(dayjs(from));
  const bookings = useQuery({
    ...bookingsQueryOptions({
      from: from ? startOfLocalDay(from, tz) : undefined,
      to: to ? startOfLocalDay(addDays(to, 1), tz) : undefined,
      status: status ?? undefined,
      q: debouncedQ || undefined,
      limit: LIMIT,
      offset,
    }),
    enabled: rangeOk,
  });
  const mark = useMarkAttendance();
  const cancel = useCancelBooking();
  const resetPage = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setOffset(0);
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t.bookings.title}</Title>
        <Button component="a" href={exportCsvUrl({ from, to })} variant="light" download>
          {t.bookings.exportCsv}
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <TextInput type="date" label={`${t.common.from} (${tz})`} value={from} onChange={(e) => resetPage(setFrom)(e.currentTarget.value)} />
        <TextInput type="date" label={t.common.to} value={to} error={rangeOk ? undefined : t.bulk.errors.range} onChange={(e) => resetPage(setTo)(e.currentTarget.value)} />
        <Select
          label={t.common.status}
          clearable
          placeholder={t.common.all}
          value={status}
          onChange={(v) => resetPage(setStatus)(v as Schemas["BookingStatus"] | null)}
          data={STATUSES.map((s) => ({ value: s, label: t.bookings.status[s] }))}
        />
        <TextInput label={t.common.search} placeholder={t.bookings.query} value={q} onChange={(e) => resetPage(setQ)(e.currentTarget.value)} />
      </SimpleGrid>
      <QueryState query={bookings}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty />
          ) : (
            <>
              <Table.ScrollContainer minWidth={760}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t.bookings.slot}</Table.Th>
                      <Table.Th>{t.bookings.candidate}</Table.Th>
                      <Table.Th>{t.common.status}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.items.map((b) => {
                      const started = dayjs(b.slot_starts_at).isBefore(dayjs());
                      return (
                        <Table.Tr key={b.id}>
                          <Table.Td>{formatDateTime(b.slot_starts_at, tz)}</Table.Td>
                          <Table.Td>
                            <Anchor component={Link} to={`/candidates/${b.candidate_id}`}>
                              {b.first_name} {b.last_name ?? ""}
                            </Anchor>
                            {b.username && (
                              <Text span c="dimmed" size="sm">
                                {" "}@{b.username}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td>
                            <StatusBadge status={b.status} label={t.bookings.status[b.status]} />
                            {b.cancel_reason && (
                              <Text size="xs" c="dimmed">
                                {b.cancel_reason}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td>
                            <Group gap={4} wrap="nowrap" justify="flex-end">
                              {(b.status === "active" || b.status === "attended" || b.status === "no_show") && started && (
                                <>
                                  <Button size="compact-xs" variant={b.status === "attended" ? "filled" : "light"} color="green" loading={mark.isPending && mark.variables?.id === b.id}
                                    onClick={() => mark.mutate({ id: b.id, status: "attended" }, { onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }) })}>
                                    {t.bookings.attended}
                                  </Button>
                                  <Button size="compact-xs" variant={b.status === "no_show" ? "filled" : "light"} color="orange"
                                    onClick={() => mark.mutate({ id: b.id, status: "no_show" }, { onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }) })}>
                                    {t.bookings.noShow}
                                  </Button>
                                </>
                              )}
                              {b.status === "active" && !started && (
                                <Button size="compact-xs" variant="light" color="red" onClick={() => setCancelling(b)}>
                                  {t.bookings.cancel}
                                </Button>
                              )}
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Pager total={page.total} limit={LIMIT} offset={offset} onChange={setOffset} />
            </>
          )
        }
      </QueryState>
      {cancelling && (
        <ConfirmModal
          opened
          title={t.bookings.cancelTitle(cancelling.first_name)}
          confirmLabel={t.bookings.cancel}
          withReason
          loading={cancel.isPending}
          onClose={() => setCancelling(null)}
          onConfirm={(reason) =>
            cancel.mutate(
              { id: cancelling.id, reason },
              {
                onSuccess: () => {
                  notifications.show({ color: "green", message: t.bookings.cancelled });
                  setCancelling(null);
                },
                onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
              },
            )
          }
        >
          <Text>
            {formatDateTime(cancelling.slot_starts_at, tz)} ({tz}). {t.bookings.cancelHint}
          </Text>
        </ConfirmModal>
      )}
    </Stack>
  );
}
