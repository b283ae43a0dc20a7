import { Anchor, Button, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { ConfirmModal } from "@/components/confirm";
import { Empty, errorMessage, QueryState } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import { userQueryOptions, useSetBlocked } from "@/features/users/api/users";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";

export function CandidateRoute() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const id = Number(useParams().id);
  const user = useQuery({ ...userQueryOptions(id), enabled: Number.isInteger(id) && id > 0 });
  const setBlocked = useSetBlocked();
  const [confirming, setConfirming] = useState(false);
  if (!Number.isInteger(id) || id <= 0) return <Text>{t.notFound}</Text>;
  return (
    <Stack>
      <Anchor component={Link} to="/candidates" size="sm">
        ← {t.candidates.title}
      </Anchor>
      <QueryState query={user}>
        {(u) => {
          const name = `${u.first_name} ${u.last_name ?? ""}`.trim();
          const blocked = u.status === "blocked";
          return (
            <>
              <Group justify="space-between">
                <div>
                  <Title order={2}>{name}</Title>
                  <Text c="dimmed" size="sm">
                    {u.username ? `@${u.username} · ` : ""}Telegram {u.telegram_user_id} · {t.candidates.firstSeen} {formatDateTime(u.first_seen_at, tz)}
                  </Text>
                </div>
                <Group>
                  <StatusBadge status={u.status} label={t.candidates.status[u.status]} />
                  {blocked ? (
                    <Button variant="light" loading={setBlocked.isPending} onClick={() => setBlocked.mutate({ id, blocked: false }, { onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }) })}>
                      {t.candidates.unblock}
                    </Button>
                  ) : (
                    <Button color="red" variant="light" onClick={() => setConfirming(true)}>
                      {t.candidates.block}
                    </Button>
                  )}
                </Group>
              </Group>
              <Card withBorder>
                <Text fw={600} mb="xs">{t.candidates.bookings}</Text>
                {u.bookings.length === 0 ? (
                  <Empty>{t.candidates.noBookings}</Empty>
                ) : (
                  <Table.ScrollContainer minWidth={480}>
                    <Table>
                      <Table.Tbody>
                        {u.bookings.map((b) => (
                          <Table.Tr key={b.id}>
                            <Table.Td>{formatDateTime(b.slot_starts_at, tz)}</Table.Td>
                            <Table.Td>{b.format}{b.location ? ` · ${b.location}` : ""}</Table.Td>
                            <Table.Td>
                              <StatusBadge status={b.status} label={t.bookings.status[b.status]} />
                              {b.cancel_reason && <Text size="xs" c="dimmed">{b.cancel_reason}</Text>}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Card>
              <Card withBorder>
                <Text fw={600} mb="xs">{t.candidates.messages}</Text>
                {u.deliveries.length === 0 ? (
                  <Empty>{t.candidates.noMessages}</Empty>
                ) : (
                  <Table.ScrollContainer minWidth={480}>
                    <Table>
                      <Table.Tbody>
                        {u.deliveries.map((d) => (
                          <Table.Tr key={d.id}>
                            <Table.Td>{formatDateTime(d.sent_at ?? d.created_at, tz)}</Table.Td>
                            <Table.Td>
                              {d.broadcast_id != null ? (
                                <Anchor component={Link} to={`/broadcasts/${d.broadcast_id}`}>#{d.broadcast_id}</Anchor>
                              ) : (
                                notificationLabel(d.notification, t.candidates.notificationKinds) ?? d.kind
                              )}
                            </Table.Td>
                            <Table.Td>
                              <StatusBadge status={d.status} label={t.broadcasts.deliveryStatus[d.status]} />
                              {d.last_error && <Text size="xs" c="dimmed">{d.last_error}</Text>}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Card>
              <ConfirmModal
                opened={confirming}
                title={t.candidates.block}
                confirmLabel={t.candidates.block}
                loading={setBlocked.isPending}
                onClose={() => setConfirming(false)}
                onConfirm={() =>
                  setBlocked.mutate(
                    { id, blocked: true },
                    { onSuccess: () => setConfirming(false), onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }) },
                  )
                }
              >
                <Text>{t.candidates.blockConfirm(name)}</Text>
              </ConfirmModal>
            </>
          );
        }}
      </QueryState>
    </Stack>
  );
}

/** A readable name for a notification delivery (its JSON carries a `type`). */
function notificationLabel(json: string | null | undefined, kinds: Record<string, string>): string | null {
  if (!json) return null;
  try {
    const type = (JSON.parse(json) as { type?: string }).type;
    return (type && kinds[type]) ?? type ?? null;
  } catch {
    return null;
  }
}
