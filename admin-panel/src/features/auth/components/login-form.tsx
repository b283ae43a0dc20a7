import { Alert, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { errorMessage } from "@/components/query-state";
import { useLogin } from "../api/auth";

export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const { t } = useI18n();
  const login = useLogin();
  const form = useForm({
    initialValues: { username: "", password: "" },
    validate: {
      username: (v) => (v.trim() ? null : t.common.required),
      password: (v) => (v ? null : t.common.required),
    },
  });
  const err = login.error;
  const message =
    err instanceof ApiError && err.status === 401
      ? t.login.invalid
      : err instanceof ApiError && err.status === 429
        ? t.login.tooMany
        : err
          ? errorMessage(err)
          : null;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        login.mutate({ username: values.username.trim(), password: values.password }, { onSuccess }),
      )}
    >
      <Stack>
        {message && (
          <Alert color="red" role="alert">
            {message}
          </Alert>
        )}
        <TextInput label={t.login.username} autoComplete="username" autoFocus {...form.getInputProps("username")} />
        <PasswordInput label={t.login.password} autoComplete="current-password" {...form.getInputProps("password")} />
        <Button type="submit" loading={login.isPending}>
          {t.login.submit}
        </Button>
      </Stack>
    </form>
  );
}
