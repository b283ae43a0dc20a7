/** Vacancies: the list with their interview defaults and questionnaires; create, edit, archive, delete. */
import { Alert, Button, Group, Menu, Modal, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { DataTable, type Column } from "@/components/data-table";
import { errorMessage } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { vacanciesQueryOptions, useVacancyAction, type Vacancy } from "@/features/vacancies/api/vacancies";
import { VacancyForm } from "@/features/vacancies/components/vacancy-form";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatWithLocation } from "@/lib/labels";

type Dialog = { kind: "create" } | { kind: "edit"; vacancy: Vacancy } | { kind: "delete"; vacancy: Vacancy } | null;

export function VacanciesRoute() {
  const { t } = useI18n();
  const vacancies = useQuery(vacanciesQueryOptions());
  const action = useVacancyAction();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => {
    setDialog(null);
    action.reset();
  };
  const run = (vacancy: Vacancy, what: "archive" | "restore" | "delete") =>
    action.mutate(
      { id: vacancy.id, action: what },
      {
        onSuccess: () => {
          notifications.show({ color: "green", message: what === "archive" ? t.vacancies.archived : what === "restore" ? t.vacancies.restored : t.vacancies.deleted });
          close();
        },
        onError: (e) => {
          if (what !== "delete") notifications.show({ color: "red", message: errorMessage(e) });
        },
      },
    );
  const create = { label: t.vacancies.create, onClick: () => setDialog({ kind: "create" }) };
  const columns: Column<Vacancy>[] = [
    { key: "title", header: t.vacancies.name, cardPriority: 1, cell: (v) => <Text fw={500}>{v.title}</Text> },
    { key: "status", header: t.common.status, cell: (v) => <StatusBadge status={v.status === "active" ? "open" : "cancelled"} label={t.vacancies.status[v.status]} /> },
    {
      key: "params",
      header: t.vacancies.params,
      cell: (v) => `${t.vacancies.minutes(v.duration_minutes)} · ${formatWithLocation(t, v.format, v.location)} · ${t.vacancies.places(v.capacity)}`,
    },
    { key: "questions", header: t.vacancies.questionsCount, align: "right", cell: (v) => v.questions.length },
    {
      key: "actions",
      header: t.vacancies.actions,
      cardLabel: null,
      align: "right",
      cell: (v) => (
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          <Button size="compact-sm" variant="light" onClick={() => setDialog({ kind: "edit", vacancy: v })}>
            {t.common.edit}
          </Button>
          <Menu withinPortal position="bottom-end">
            <Menu.Target>
              <Button size="compact-sm" variant="subtle" aria-label={`${t.vacancies.actions}: ${v.title}`}>
                ⋯
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {v.status === "active" ? (
                <Menu.Item onClick={() => run(v, "archive")}>{t.vacancies.archive}</Menu.Item>
              ) : (
                <Menu.Item onClick={() => run(v, "restore")}>{t.vacancies.restore}</Menu.Item>
              )}
              <Menu.Item color="red" onClick={() => setDialog({ kind: "delete", vacancy: v })}>
                {t.common.delete}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      ),
    },
  ];
  const deleting = dialog?.kind === "delete" ? dialog.vacancy : null;
  const inUse = action.error instanceof ApiError && action.error.code === "vacancy_in_use";
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t.vacancies.title}</Title>
        <Button onClick={create.onClick}>{t.vacancies.create}</Button>
      </Group>
      <DataTable
        columns={columns}
        rows={vacancies.data}
        loading={vacancies.isPending}
        error={vacancies.error}
        onRetry={() => void vacancies.refetch()}
        rowKey={(v) => v.id}
        minWidth={720}
        label={t.vacancies.title}
        emptyMessage={t.vacancies.empty}
        emptyAction={create}
      />
      <Modal opened={dialog?.kind === "create" || dialog?.kind === "edit"} onClose={close} title={dialog?.kind === "edit" ? t.vacancies.edit : t.vacancies.create} size="lg" centered>
        {dialog?.kind === "create" && <VacancyForm onDone={close} />}
        {dialog?.kind === "edit" && <VacancyForm vacancy={dialog.vacancy} onDone={close} />}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={deleting ? t.vacancies.deleteTitle(deleting.title) : ""}
        confirmLabel={inUse ? t.vacancies.archiveInstead : t.common.delete}
        color={inUse ? "orange" : "red"}
        cancelLabel={t.vacancies.keep}
        loading={action.isPending}
        onClose={close}
        onConfirm={() => deleting && run(deleting, inUse ? "archive" : "delete")}
      >
        {action.error ? (
          <Alert color={inUse ? "orange" : "red"} role="alert">
            {errorMessage(action.error)}
          </Alert>
        ) : (
          <Text size="sm">{t.vacancies.deleteHint}</Text>
        )}
      </ConfirmModal>
    </Stack>
  );
}
