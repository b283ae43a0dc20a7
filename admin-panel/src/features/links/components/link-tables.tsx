/** The two lists of the invitations page: source links, and personal invitations. */
import { Anchor, Group, Text } from "@mantine/core";
import { Link } from "react-router";
import { DataTable, type Column } from "@/components/data-table";
import type { EmptyAction } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import { useVacancyTitle } from "@/features/vacancies/hooks/use-vacancy-info";
import { useI18n } from "@/lib/i18n";
import { formatDate } from "@/lib/time";
import type { LinkView } from "../api/links";
import { linkStateLabel, linkStateStatus } from "../lib/links";
import { LinkAddress, LinkMenu, QrButton, type LinkActionKind } from "./link-parts";

type Props = {
  rows: LinkView[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  onAction: (link: LinkView, action: LinkActionKind) => void;
  emptyAction: EmptyAction;
};

function useCommonColumns(onAction: Props["onAction"]) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const vacancy = useVacancyTitle(t.slots.anyVacancy);
  const state: Column<LinkView> = {
    key: "state",
    header: t.common.status,
    // Wide enough for "использована" in a badge, never cut to "использ…".
    width: 150,
    cell: (l) => (
      <>
        <StatusBadge status={linkStateStatus(l.state)} label={linkStateLabel(t, l.state)} />
        {l.expires_at && (
          <Text size="xs" c="dimmed">
            {t.links.expires} {formatDate(l.expires_at, tz)}
          </Text>
        )}
      </>
    ),
  };
  return {
    vacancy: { key: "vacancy", header: t.links.vacancy, cell: (l) => vacancy(l.vacancy_id) } satisfies Column<LinkView>,
    state,
    link: { key: "link", header: t.links.link, width: 320, cell: (l) => <LinkAddress link={l} /> } satisfies Column<LinkView>,
    opened: { key: "opened", header: t.links.opened, align: "right", cell: (l) => l.opened } satisfies Column<LinkView>,
    actions: {
      key: "actions",
      header: t.links.actions,
      cardLabel: null,
      align: "right",
      cell: (l) => (
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          <QrButton link={l} />
          <LinkMenu link={l} onAction={onAction} />
        </Group>
      ),
    } satisfies Column<LinkView>,
  };
}

export function SourceLinks({ rows, loading, error, onRetry, onAction, emptyAction }: Props) {
  const { t } = useI18n();
  const c = useCommonColumns(onAction);
  const columns: Column<LinkView>[] = [
    { key: "label", header: t.links.label, cardPriority: 1, cell: (l) => <Text fw={500}>{l.label}</Text> },
    c.vacancy,
    c.link,
    c.opened,
    c.state,
    c.actions,
  ];
  return (
    <DataTable columns={columns} rows={rows} loading={loading} error={error} onRetry={onRetry} rowKey={(l) => l.id} minWidth={900} label={t.links.sources} emptyMessage={t.links.noSources} emptyAction={emptyAction} />
  );
}

export function PersonalLinks({ rows, loading, error, onRetry, onAction, emptyAction }: Props) {
  const { t } = useI18n();
  const c = useCommonColumns(onAction);
  const columns: Column<LinkView>[] = [
    {
      key: "name",
      header: t.links.name,
      cardPriority: 1,
      cell: (l) => (
        <>
          <Text fw={500}>{l.label}</Text>
          {(l.phone || l.note) && (
            <Text size="xs" c="dimmed">
              {[l.phone, l.note].filter(Boolean).join(" · ")}
            </Text>
          )}
        </>
      ),
    },
    c.vacancy,
    c.state,
    {
      key: "bound",
      header: t.links.boundTo,
      cell: (l) =>
        l.candidate_id != null && l.candidate_name ? (
          <Anchor component={Link} to={`/candidates/${l.candidate_id}`} size="sm">
            {l.candidate_name}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {t.links.notBound}
          </Text>
        ),
    },
    c.link,
    c.actions,
  ];
  return (
    <DataTable columns={columns} rows={rows} loading={loading} error={error} onRetry={onRetry} rowKey={(l) => l.id} minWidth={900} label={t.links.personal} emptyMessage={t.links.noPersonal} emptyAction={emptyAction} />
  );
}
