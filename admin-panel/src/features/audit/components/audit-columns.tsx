/** The audit log's columns: when, what happened (a sentence), and the raw details behind an expander. */
import { Accordion, Code, Text } from "@mantine/core";
import type { Column } from "@/components/data-table";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";
import { auditSentence } from "../lib/audit-sentence";

type Entry = Schemas["AuditEntry"];

/** The stored details, folded: nothing raw in the default view. */
export function AuditDetails({ entry }: { entry: Entry }) {
  const { t } = useI18n();
  const details = entry.details as Record<string, unknown>;
  if (!details || Object.keys(details).length === 0) return null;
  return (
    <Accordion variant="unstyled" chevronPosition="left" styles={{ control: { padding: 0 }, label: { padding: 0 }, content: { padding: 0 } }}>
      <Accordion.Item value="details">
        <Accordion.Control>
          <Text size="xs" c="dimmed">
            {t.audit.details}
          </Text>
        </Accordion.Control>
        <Accordion.Panel>
          <Code block style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {JSON.stringify(details, null, 2)}
          </Code>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}

export function useAuditColumns(): Column<Entry>[] {
  const { t, lang } = useI18n();
  const tz = useTimeZone();
  return [
    { key: "at", header: t.audit.at, width: 150, cell: (e) => formatDateTime(e.at, tz) },
    { key: "what", header: t.audit.what, cell: (e) => auditSentence(e, t, lang, tz) },
    { key: "details", header: t.audit.details, cardLabel: null, width: 220, cell: (e) => <AuditDetails entry={e} /> },
  ];
}
