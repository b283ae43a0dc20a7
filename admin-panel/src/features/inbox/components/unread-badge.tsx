/** The unread count beside "Сообщения" in the navigation; nothing when all is read. */
import { Badge } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useI18n } from "@/lib/i18n";
import { unreadQueryOptions } from "../api/inbox";

export function UnreadBadge() {
  const { t } = useI18n();
  const unread = useQuery(unreadQueryOptions()).data ?? 0;
  if (unread === 0) return null;
  return (
    <Badge color="red" size="sm" circle={unread < 10} aria-label={t.inbox.unreadBadge(unread)}>
      {unread}
    </Badge>
  );
}
