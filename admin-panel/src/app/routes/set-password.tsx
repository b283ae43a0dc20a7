/**
 * "/set-password#<token>" (no session): the one-time link from an invitation or a reset. Shows
 * whose account it is, asks the password twice, says in words why the server found it weak, and
 * goes to the login page once it is set. A dead link says to ask an admin for a new one.
 */
import { Alert, Button, Center, Loader, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@tanstack/react-query";
import { Link, useLocation, useNavigate } from "react-router";
import { errorMessage } from "@/components/query-state";
import { passwordLinkQueryOptions, useSetPassword } from "@/features/accounts/api/accounts";
import { weakPasswordReason } from "@/features/accounts/lib/password";
import { LanguageSwitch } from "@/app/layout";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";

export function SetPasswordRoute() {
  const { t } = useI18n();
  const token = useLocation().hash.replace(/^#/, "");
  const info = useQuery({ ...passwordLinkQueryOptions(token), enabled: token !== "" });
  const dead = token === "" || (info.error instanceof ApiError && info.error.status === 404);
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={420}>
        <Stack>
          <Title order={3}>{t.setPassword.title}</Title>
          {dead ? (
            <>
              <Alert color="orange" role="alert">
                {token === "" ? t.setPassword.noToken : t.setPassword.dead}
              </Alert>
              <Button component={Link} to="/login" variant="light">
                {t.setPassword.toLogin}
              </Button>
            </>
          ) : info.isPending ? (
            <Center>
              <Loader size="sm" aria-busy="true" />
            </Center>
          ) : info.data ? (
            <>
              <Text size="sm">{t.setPassword.whose(info.data.display_name || info.data.username, info.data.username)}</Text>
              <PasswordForm token={token} username={info.data.username} />
            </>
          ) : (
            <Alert color="red" role="alert">
              {errorMessage(info.error)}
            </Alert>
          )}
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Center>
  );
}

function PasswordForm({ token, username }: { token: string; username: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const save = useSetPassword();
  const form = useForm({
    initialValues: { password: "", repeat: "" },
    validate: {
      password: (v) => (v.length >= 12 ? null : t.setPassword.tooShort),
      repeat: (v, all) => (v === all.password ? null : t.setPassword.mismatch),
    },
  });
  const error = save.error;
  const dead = error instanceof ApiError && error.status === 404;
  const weak = error instanceof ApiError && error.status === 422;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        save.mutate({ token, password: v.password }, { onSuccess: () => navigate("/login?password=set", { replace: true }) }),
      )}
    >
      <Stack>
        {/* The login, for the browser's password manager. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <Text size="xs" c="dimmed">
          {t.setPassword.rules}
        </Text>
        <PasswordInput label={t.setPassword.password} autoComplete="new-password" {...form.getInputProps("password")} />
        <PasswordInput label={t.setPassword.repeat} autoComplete="new-password" {...form.getInputProps("repeat")} />
        {error && (
          <Alert color={weak ? "orange" : "red"} role="alert">
            {dead ? t.setPassword.dead : weak ? weakPasswordReason(error.message, t) : errorMessage(error)}
          </Alert>
        )}
        <Button type="submit" loading={save.isPending}>
          {t.setPassword.submit}
        </Button>
      </Stack>
    </form>
  );
}
