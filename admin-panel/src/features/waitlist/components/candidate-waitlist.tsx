/** On a candidate's card: their place in the waitlist with the offer they hold, and their requests to book after no-shows. */
import { Anchor, Card, Group, Stack, Text } from "@mantine/core";
import { Link } from "react-router";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatDateTime, formatTime } from "@/lib/time";
import { preferencesLabel } from "../lib/waitlist";

const BADGE: Record<string, string> = { requested: "pending", approved: "completed", refused: "failed" };

export function CandidateWaitlist({ user }: { user: Schemas["UserDetail"] }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const entry = user.waitlist;
  const approvals = user.approvals ?? [];
  if (!entry && approvals.length === 0) return null;
  return (
    <Card withBorder data-testid="candidate-waitlist">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t.waitlist.title}</Text>
        <Anchor component={Link} to="/waitlist" size="sm">
          {t.waitlist.card.open}
        </Anchor>
      </Group>
      <Stack gap={6}>
        {entry && (
          <div>
            <Text size="sm">{t.waitlist.card.place(entry.position)}</Text>
            <Text size="sm" c="dimmed">
              {[entry.vacancy_title ?? t.waitlist.anyVacancy, preferencesLabel(t, entry), t.waitlist.card.since(formatDateTime(entry.joined_at, tz))].join(" · ")}
            </Text>
            {entry.offer && <Text size="sm">{t.waitlist.offered(formatDateTime(entry.offer.slot_starts_at, tz), formatTime(entry.offer.expires_at, tz))}</Text>}
          </div>
        )}
        {approvals.length > 0 && (
          <div>
            <Text size="sm" fw={500}>
              {t.waitlist.card.requests}
            </Text>
            {approvals.map((a) => (
              <Group key={a.id} gap="xs">
                <Text size="sm">{t.waitlist.card.requested(formatDateTime(a.requested_at, tz))}</Text>
                <StatusBadge status={BADGE[a.status] ?? a.status} label={t.approvals.statuses[a.status] ?? ""} />
                {a.decided_at && (
                  <Text size="xs" c="dimmed">
                    {t.approvals.decidedBy(a.decided_by_name ?? "", formatDateTime(a.decided_at, tz))}
                  </Text>
                )}
              </Group>
            ))}
          </div>
        )}
      </Stack>
    </Card>
  );
}
