/** The team's table: name, login, role and status in words, last seen, and each member's actions. */
import { Button, Group, Menu, Text } from "@mantine/core";
import type { Column } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";
import type { Account } from "../api/accounts";
import { accountName } from "./one-time-link";

export type AccountDialog = { kind: "rename" | "role" | "deactivate" | "reactivate" | "reset"; account: Account };

export type AccountState = "active" | "invited" | "deactivated";
export const accountState = (a: Account): AccountState => (a.deactivated_at ? "deactivated" : a.has_password ? "active" : "invited");
const BADGE: Record<AccountState, string> = { active: "open", invited: "pending", deactivated: "cancelled" };

export function useAccountColumns(meId: number | undefined, open: (d: AccountDialog) => void): Column<Account>[] {
  const { t } = useI18n();
  const tz = useTimeZone();
  return [
    {
      key: "name",
      header: t.team.name,
      cardPriority: 1,
      cell: (a) => (
        <Text fw={500} size="sm">
          {accountName(a)}
          {a.id === meId && (
            <Text span c="dimmed" size="xs">
              {" "}
              ({t.team.you})
            </Text>
          )}
        </Text>
      ),
    },
    { key: "login", header: t.team.login, cell: (a) => a.username },
    { key: "role", header: t.team.role, cell: (a) => t.roles[a.role] },
    { key: "status", header: t.common.status, cell: (a) => <StatusBadge status={BADGE[accountState(a)]} label={t.team.status[accountState(a)]} /> },
    { key: "seen", header: t.team.lastSeen, cell: (a) => (a.last_seen_at ? formatDateTime(a.last_seen_at, tz) : t.team.never) },
    {
      key: "actions",
      header: t.team.actions,
      cardLabel: null,
      align: "right",
      cell: (a) => (
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          <Button size="compact-sm" variant="light" onClick={() => open({ kind: "role", account: a })}>
            {t.team.changeRole}
          </Button>
          <Menu withinPortal position="bottom-end">
            <Menu.Target>
              <Button size="compact-sm" variant="subtle" aria-label={`${t.team.actions}: ${accountName(a)}`}>
                ⋯
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => open({ kind: "rename", account: a })}>{t.team.rename}</Menu.Item>
              <Menu.Item onClick={() => open({ kind: "reset", account: a })} disabled={Boolean(a.deactivated_at)}>
                {t.team.resetPassword}
              </Menu.Item>
              {a.deactivated_at ? (
                <Menu.Item onClick={() => open({ kind: "reactivate", account: a })}>{t.team.reactivate}</Menu.Item>
              ) : (
                <Menu.Item color="red" disabled={a.id === meId} onClick={() => open({ kind: "deactivate", account: a })}>
                  {t.team.deactivate}
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        </Group>
      ),
    },
  ];
}
