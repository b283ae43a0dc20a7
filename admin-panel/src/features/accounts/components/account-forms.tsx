/** The team's forms: invite a member (login, name, role), rename one, change one's role. */
import { Alert, Button, Group, Radio, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { errorMessage } from "@/components/query-state";
import { ApiError } from "@/lib/api-client";
import type { Role } from "@/features/auth/lib/roles";
import { useI18n } from "@/lib/i18n";
import { useChangeAccount, useInviteAccount, type Account, type SetPasswordLink } from "../api/accounts";

const ROLES: Role[] = ["interviewer", "recruiter", "admin"];
/** The server's rule for a login. */
export const LOGIN_RE = /^[\p{L}\p{N}_.@-]{3,64}$/u;

export function RoleChoice({ value, onChange }: { value: Role; onChange: (r: Role) => void }) {
  const { t } = useI18n();
  return (
    <Radio.Group label={t.team.role} value={value} onChange={(v) => onChange(v as Role)}>
      <Stack gap={6} mt={4}>
        {ROLES.map((r) => (
          <Radio key={r} value={r} label={t.roles[r]} description={t.team.roleHelp[r]} />
        ))}
      </Stack>
    </Radio.Group>
  );
}

type InviteValues = { username: string; display_name: string; role: Role };

export function InviteForm({ onInvited }: { onInvited: (link: SetPasswordLink) => void }) {
  const { t } = useI18n();
  const invite = useInviteAccount();
  const form = useForm<InviteValues>({
    initialValues: { username: "", display_name: "", role: "interviewer" },
    validate: {
      username: (v) => (LOGIN_RE.test(v.trim()) ? null : t.team.loginInvalid),
      display_name: (v) => (v.trim() ? null : t.team.nameRequired),
    },
  });
  const submit = (v: InviteValues) =>
    invite.mutate({ username: v.username.trim(), display_name: v.display_name.trim(), role: v.role }, { onSuccess: onInvited });
  return (
    <form noValidate onSubmit={form.onSubmit(submit)}>
      <Stack>
        {invite.error && (
          <Alert color="red" role="alert">
            {invite.error instanceof ApiError && invite.error.code === "duplicate" ? t.team.loginTaken : errorMessage(invite.error)}
          </Alert>
        )}
        <TextInput label={t.team.login} description={t.team.loginHint} autoComplete="off" {...form.getInputProps("username")} />
        <TextInput label={t.team.name} autoComplete="off" {...form.getInputProps("display_name")} />
        <RoleChoice value={form.values.role} onChange={(r) => form.setFieldValue("role", r)} />
        <Group justify="flex-end">
          <Button type="submit" loading={invite.isPending}>
            {t.team.inviteSubmit}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function RenameForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const { t } = useI18n();
  const change = useChangeAccount();
  const [name, setName] = useState(account.display_name ?? "");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return setError(t.team.nameRequired);
        change.mutate({ id: account.id, changes: { display_name: name.trim() } }, { onSuccess: onDone });
      }}
    >
      <Stack>
        {change.error && (
          <Alert color="red" role="alert">
            {errorMessage(change.error)}
          </Alert>
        )}
        <TextInput label={t.team.name} value={name} error={error} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Group justify="flex-end">
          <Button type="submit" loading={change.isPending}>
            {t.common.save}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function RoleForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const { t } = useI18n();
  const change = useChangeAccount();
  const [role, setRole] = useState<Role>(account.role);
  return (
    <Stack>
      {change.error && (
        <Alert color="red" role="alert">
          {errorMessage(change.error)}
        </Alert>
      )}
      <RoleChoice value={role} onChange={setRole} />
      {role !== account.role && (
        <Text size="sm" c="dimmed">
          {t.roles[account.role]} → {t.roles[role]}
        </Text>
      )}
      <Group justify="flex-end">
        <Button disabled={role === account.role} loading={change.isPending} onClick={() => change.mutate({ id: account.id, changes: { role } }, { onSuccess: onDone })}>
          {t.common.save}
        </Button>
      </Group>
    </Stack>
  );
}
