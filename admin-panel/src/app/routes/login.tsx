import { Alert, Center, Paper, Stack, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { meQueryOptions } from "@/features/auth/api/auth";
import { LoginForm } from "@/features/auth/components/login-form";
import { LanguageSwitch } from "@/app/layout";
import { useI18n } from "@/lib/i18n";

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function LoginRoute() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useQuery(meQueryOptions());
  const next = safeNext(params.get("next"));
  if (me.data) return <Navigate to={next} replace />;
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={380}>
        <Stack>
          <Title order={3}>{t.login.title}</Title>
          {params.get("password") === "set" && (
            <Alert color="green" role="status">
              {t.setPassword.done}
            </Alert>
          )}
          <LoginForm onSuccess={() => navigate(next, { replace: true })} />
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Center>
  );
}
