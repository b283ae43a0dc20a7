/** Invitations: source links and personal invitations, by vacancy; create, import, revoke, delete. */
import { Alert, Button, Card, Group, Modal, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage } from "@/components/query-state";
import { linksQueryOptions, useLinkAction, type LinkView } from "@/features/links/api/links";
import { ImportLinksForm, NewLinkForm } from "@/features/links/components/link-forms";
import type { LinkActionKind } from "@/features/links/components/link-parts";
import { PersonalLinks, SourceLinks } from "@/features/links/components/link-tables";
import { VacancySelect } from "@/features/vacancies/components/vacancy-select";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";

type Dialog = { kind: "source" } | { kind: "personal" } | { kind: "import" } | { kind: LinkActionKind; link: LinkView } | null;

export function InvitationsRoute() {
  const { t } = useI18n();
  const [vacancyId, setVacancyId] = useState<number | null>(null);
  const filter = vacancyId === null ? {} : { vacancy_id: vacancyId };
  const sources = useQuery(linksQueryOptions({ ...filter, kind: "source" }));
  const personal = useQuery(linksQueryOptions({ ...filter, kind: "personal" }));
  const action = useLinkAction();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => {
    setDialog(null);
    action.reset();
  };
  const onAction = (link: LinkView, kind: LinkActionKind) => {
    action.reset();
    setDialog({ kind, link });
  };
  const target = dialog && "link" in dialog ? dialog : null;
  const inUse = action.error instanceof ApiError && action.error.code === "link_in_use";
  const run = (link: LinkView, what: LinkActionKind) =>
    action.mutate(
      { id: link.id, action: what },
      {
        onSuccess: () => {
          notifications.show({ color: "green", message: what === "revoke" ? t.links.revoked : t.links.deleted });
          close();
        },
      },
    );
  const table = (q: typeof sources) => ({ rows: q.data, loading: q.isPending, error: q.error, onRetry: () => void q.refetch(), onAction });
  return (
    <Stack>
      <Title order={2}>{t.links.title}</Title>
      <VacancySelect maw={360} label={t.links.vacancyFilter} anyLabel={t.links.allVacancies} withArchived value={vacancyId} onChange={setVacancyId} />
      <Card withBorder>
        <Group justify="space-between" align="flex-start" mb="sm">
          <div>
            <Text fw={600}>{t.links.sources}</Text>
            <Text size="sm" c="dimmed">
              {t.links.sourcesHint}
            </Text>
          </div>
          <Button onClick={() => setDialog({ kind: "source" })}>{t.links.newSource}</Button>
        </Group>
        <SourceLinks {...table(sources)} emptyAction={{ label: t.links.newSource, onClick: () => setDialog({ kind: "source" }) }} />
      </Card>
      <Card withBorder>
        <Group justify="space-between" align="flex-start" mb="sm">
          <div>
            <Text fw={600}>{t.links.personal}</Text>
            <Text size="sm" c="dimmed">
              {t.links.personalHint}
            </Text>
          </div>
          <Group gap="xs">
            <Button variant="light" onClick={() => setDialog({ kind: "import" })}>
              {t.links.import}
            </Button>
            <Button onClick={() => setDialog({ kind: "personal" })}>{t.links.newPersonal}</Button>
          </Group>
        </Group>
        <PersonalLinks {...table(personal)} emptyAction={{ label: t.links.newPersonal, onClick: () => setDialog({ kind: "personal" }) }} />
      </Card>
      <Modal
        opened={dialog?.kind === "source" || dialog?.kind === "personal"}
        onClose={close}
        title={dialog?.kind === "personal" ? t.links.newPersonal : t.links.newSource}
        centered
      >
        {(dialog?.kind === "source" || dialog?.kind === "personal") && <NewLinkForm kind={dialog.kind} vacancyId={vacancyId} onDone={close} />}
      </Modal>
      <Modal opened={dialog?.kind === "import"} onClose={close} title={t.links.importTitle} size="lg" centered>
        {dialog?.kind === "import" && <ImportLinksForm vacancyId={vacancyId} onDone={close} />}
      </Modal>
      <ConfirmModal
        opened={target !== null}
        title={target ? (target.kind === "revoke" ? t.links.revokeTitle(target.link.label) : t.links.deleteTitle(target.link.label)) : ""}
        confirmLabel={target?.kind === "revoke" ? t.links.revoke : inUse ? t.links.revokeInstead : t.links.delete}
        cancelLabel={target?.kind === "revoke" ? t.links.keep : t.links.keepLink}
        color={target?.kind === "revoke" || inUse ? "orange" : "red"}
        loading={action.isPending}
        onClose={close}
        onConfirm={() => target && run(target.link, target.kind === "delete" && inUse ? "revoke" : target.kind)}
      >
        {action.error ? (
          <Alert color={inUse ? "orange" : "red"} role="alert">
            {errorMessage(action.error)}
          </Alert>
        ) : (
          <Text size="sm">{target?.kind === "revoke" ? t.links.revokeHint : t.links.deleteHint}</Text>
        )}
      </ConfirmModal>
    </Stack>
  );
}
