/** "Команда" (admins): the accounts, inviting with a one-time set-password link, roles, names and access. */
import { Alert, Button, Group, Modal, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { DataTable } from "@/components/data-table";
import { errorMessage } from "@/components/query-state";
import { accountsQueryOptions, useAccountAction, type AccountAction, type SetPasswordLink } from "@/features/accounts/api/accounts";
import { useAccountColumns, type AccountDialog } from "@/features/accounts/components/account-columns";
import { InviteForm, RenameForm, RoleForm } from "@/features/accounts/components/account-forms";
import { accountName, OneTimeLinkModal } from "@/features/accounts/components/one-time-link";
import { useRole } from "@/features/auth/hooks/use-role";
import { useI18n } from "@/lib/i18n";

type Dialog = AccountDialog | { kind: "invite" } | null;
type Confirming = { kind: AccountAction; account: AccountDialog["account"] };
const isConfirming = (d: Dialog): d is Confirming => d !== null && (d.kind === "deactivate" || d.kind === "reactivate" || d.kind === "reset");

export function TeamRoute() {
  const { t } = useI18n();
  const { me } = useRole();
  const accounts = useQuery(accountsQueryOptions());
  const action = useAccountAction();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [link, setLink] = useState<SetPasswordLink | null>(null);
  const close = () => {
    setDialog(null);
    action.reset();
  };
  const columns = useAccountColumns(me?.id, setDialog);
  const invite = { label: t.team.invite, onClick: () => setDialog({ kind: "invite" }) };
  // Only the admin themself: the list tells them to invite the others.
  const alone = (accounts.data?.length ?? 0) <= 1;
  const confirming = isConfirming(dialog) ? dialog : null;
  const confirmTexts = confirming && {
    deactivate: { title: t.team.deactivateTitle, hint: t.team.deactivateHint, keep: t.team.keepActive, go: t.team.deactivate, color: "red", done: t.team.deactivated },
    reactivate: { title: t.team.reactivateTitle, hint: t.team.reactivateHint, keep: t.team.keepDeactivated, go: t.team.reactivate, color: "green", done: t.team.reactivated },
    reset: { title: t.team.resetTitle, hint: t.team.resetHint, keep: t.team.keepPassword, go: t.team.resetPassword, color: "orange", done: "" },
  }[confirming.kind];
  const done = (message: string) => () => {
    notifications.show({ color: "green", message });
    close();
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t.team.title}</Title>
        <Button onClick={invite.onClick}>{t.team.invite}</Button>
      </Group>
      <DataTable
        columns={columns}
        rows={accounts.data}
        loading={accounts.isPending}
        error={accounts.error}
        onRetry={() => void accounts.refetch()}
        rowKey={(a) => a.id}
        minWidth={820}
        label={t.team.title}
      />
      {accounts.isSuccess && alone && (
        <Stack align="center" gap="xs">
          <Text c="dimmed" ta="center">
            {t.team.empty}
          </Text>
          <Button size="xs" variant="light" onClick={invite.onClick}>
            {invite.label}
          </Button>
        </Stack>
      )}
      <Modal opened={dialog?.kind === "invite"} onClose={close} title={t.team.inviteTitle} centered>
        {dialog?.kind === "invite" && (
          <InviteForm
            onInvited={(l) => {
              close();
              notifications.show({ color: "green", message: t.team.invited });
              setLink(l);
            }}
          />
        )}
      </Modal>
      <Modal opened={dialog?.kind === "rename"} onClose={close} title={dialog?.kind === "rename" ? t.team.renameTitle(dialog.account.username) : ""} centered>
        {dialog?.kind === "rename" && <RenameForm account={dialog.account} onDone={done(t.team.renamed)} />}
      </Modal>
      <Modal opened={dialog?.kind === "role"} onClose={close} title={dialog?.kind === "role" ? t.team.changeRoleTitle(accountName(dialog.account)) : ""} centered>
        {dialog?.kind === "role" && <RoleForm account={dialog.account} onDone={done(t.team.roleChanged)} />}
      </Modal>
      <ConfirmModal
        opened={confirming !== null}
        title={confirming && confirmTexts ? confirmTexts.title(accountName(confirming.account)) : ""}
        confirmLabel={confirmTexts?.go ?? ""}
        cancelLabel={confirmTexts?.keep}
        color={confirmTexts?.color}
        loading={action.isPending}
        onClose={close}
        onConfirm={() =>
          confirming &&
          action.mutate(
            { id: confirming.account.id, action: confirming.kind },
            {
              onSuccess: (issued) => {
                if (issued) {
                  close();
                  setLink(issued);
                } else done(confirmTexts?.done ?? "")();
              },
            },
          )
        }
      >
        {action.error ? (
          <Alert color="red" role="alert">
            {errorMessage(action.error)}
          </Alert>
        ) : (
          <Text size="sm">{confirmTexts?.hint}</Text>
        )}
      </ConfirmModal>
      <OneTimeLinkModal link={link} onClose={() => setLink(null)} />
    </Stack>
  );
}
