/** Requests to book of candidates who missed too many interviews: allow or refuse each. */
import { Alert, Anchor, Badge, Button, Group, SegmentedControl, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { ConfirmModal } from "@/components/confirm";
import { DataTable, type Column } from "@/components/data-table";
import { errorMessage } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";
import { approvalsQueryOptions, useDecideApproval, type ApprovalStatus, type ApprovalView } from "../api/waitlist";

const COLORS: Record<ApprovalStatus, string> = { requested: "yellow", approved: "green", refused: "red" };

export function ApprovalsList() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const [show, setShow] = useState<"requested" | "all">("requested");
  const approvals = useQuery(approvalsQueryOptions(show === "all" ? undefined : "requested"));
  const decide = useDecideApproval();
  const [refusing, setRefusing] = useState<ApprovalView | null>(null);
  const run = (a: ApprovalView, decision: "approve" | "refuse") =>
    decide.mutate(
      { id: a.id, decision },
      {
        onSuccess: () => {
          notifications.show({ color: "green", message: decision === "approve" ? t.approvals.approved : t.approvals.refused });
          setRefusing(null);
        },
        onError: (e) => {
          if (decision === "approve") notifications.show({ color: "red", message: errorMessage(e, t) });
        },
      },
    );
  const columns: Column<ApprovalView>[] = [
    {
      key: "candidate",
      header: t.approvals.candidate,
      cardPriority: 0,
      cell: (a) => (
        <>
          <Anchor component={Link} to={`/candidates/${a.candidate_id}`}>
            {a.candidate_name}
          </Anchor>
          {a.username && (
            <Text span c="dimmed" size="sm">
              {" "}@{a.username}
            </Text>
          )}
        </>
      ),
    },
    { key: "no_shows", header: t.approvals.missed, cardLabel: null, cell: (a) => t.approvals.noShows(a.no_shows) },
    { key: "requested", header: t.approvals.requested, cell: (a) => formatDateTime(a.requested_at, tz) },
    {
      key: "status",
      header: t.approvals.status,
      cell: (a) => (
        <>
          <Badge color={COLORS[a.status]} variant="light">
            {t.approvals.statuses[a.status]}
          </Badge>
          {a.decided_at && (
            <Text size="xs" c="dimmed">
              {a.decided_by_name ? t.approvals.decidedBy(a.decided_by_name, formatDateTime(a.decided_at, tz)) : formatDateTime(a.decided_at, tz)}
            </Text>
          )}
        </>
      ),
    },
    {
      key: "actions",
      header: t.approvals.actions,
      cardLabel: null,
      align: "right",
      cell: (a) =>
        a.status === "requested" ? (
          <Group gap="xs" justify="flex-end">
            <Button size="xs" color="green" variant="light" loading={decide.isPending && decide.variables?.id === a.id && decide.variables.decision === "approve"} onClick={() => run(a, "approve")}>
              {t.approvals.approve}
            </Button>
            <Button
              size="xs"
              color="red"
              variant="subtle"
              onClick={() => {
                decide.reset();
                setRefusing(a);
              }}
            >
              {t.approvals.refuse}
            </Button>
          </Group>
        ) : null,
    },
  ];
  return (
    <Stack gap="sm">
      <SegmentedControl
        aria-label={t.approvals.filter}
        value={show}
        onChange={(v) => setShow(v as "requested" | "all")}
        data={[
          { value: "requested", label: t.approvals.filters.requested },
          { value: "all", label: t.approvals.filters.all },
        ]}
        style={{ alignSelf: "flex-start" }}
      />
      <DataTable
        columns={columns}
        rows={approvals.data}
        loading={approvals.isPending}
        error={approvals.error}
        onRetry={() => void approvals.refetch()}
        rowKey={(a) => a.id}
        minWidth={760}
        label={t.approvals.title}
        emptyMessage={t.approvals.empty}
      />
      <ConfirmModal
        opened={refusing !== null}
        title={refusing ? t.approvals.refuseTitle(refusing.candidate_name) : ""}
        confirmLabel={t.approvals.refuse}
        cancelLabel={t.approvals.keep}
        loading={decide.isPending}
        onClose={() => setRefusing(null)}
        onConfirm={() => refusing && run(refusing, "refuse")}
      >
        {decide.error && decide.variables?.decision === "refuse" ? (
          <Alert color="red" role="alert">
            {errorMessage(decide.error, t)}
          </Alert>
        ) : (
          <Text size="sm">{t.approvals.refuseHint}</Text>
        )}
      </ConfirmModal>
    </Stack>
  );
}
