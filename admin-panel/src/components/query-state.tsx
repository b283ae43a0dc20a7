/** Loading, error and empty states, the same everywhere. */
import { Alert, Button, Center, Group, Loader, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { ApiError } from "@/lib/api-client";
import { activeDict, useI18n } from "@/lib/i18n";
import type { Dict } from "@/lib/i18n/ru";

/** What went wrong, in the panel's language: the server's errors by their code. */
export function errorMessage(error: unknown, dict: Dict = activeDict()): string {
  if (error instanceof ApiError) return dict.apiErrors[error.code] ?? error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function Loading() {
  const { t } = useI18n();
  return (
    <Center py="xl" aria-busy="true">
      <Group gap="xs">
        <Loader size="sm" />
        <Text c="dimmed">{t.common.loading}</Text>
      </Group>
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  // A role's limit is no failure to retry: the API said this account may not see it.
  if (error instanceof ApiError && error.status === 403) {
    return (
      <Alert color="gray" title={t.forbidden.title} role="alert">
        <Text size="sm">{t.forbidden.text}</Text>
      </Alert>
    );
  }
  return (
    <Alert color="red" title={t.common.error} role="alert">
      <Text size="sm">{errorMessage(error, t)}</Text>
      {onRetry && (
        <Button mt="sm" size="xs" variant="light" color="red" onClick={onRetry}>
          {t.common.retry}
        </Button>
      )}
    </Alert>
  );
}

/** A way out of an empty list: a label and what it does (clear the filters, create the first one...). */
export type EmptyAction = { label: string; onClick: () => void };

/** An empty list. The message should say what to do next; `action` offers it as a button. */
export function Empty({ children, action }: { children?: ReactNode; action?: EmptyAction }) {
  const { t } = useI18n();
  return (
    <Stack align="center" gap="xs" py="lg">
      <Text c="dimmed" ta="center">
        {children ?? t.common.empty}
      </Text>
      {action && (
        <Button size="xs" variant="light" onClick={action.onClick}>
          {action.label}
        </Button>
      )}
    </Stack>
  );
}

type QueryLike<T> = { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };

/** Renders the loading or error state, or `children(data)`. */
export function QueryState<T>({ query, children }: { query: QueryLike<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.data === undefined) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
