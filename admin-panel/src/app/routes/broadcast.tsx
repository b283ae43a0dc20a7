import { Anchor, Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { QueryState } from "@/components/query-state";
import { broadcastQueryOptions, isRunning } from "@/features/broadcasts/api/broadcasts";
import { BroadcastDeliveries } from "@/features/broadcasts/components/broadcast-deliveries";
import { BroadcastSummary } from "@/features/broadcasts/components/broadcast-summary";
import { useI18n } from "@/lib/i18n";

export function BroadcastRoute() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const broadcast = useQuery(broadcastQueryOptions(id));
  return (
    <Stack>
      <Anchor component={Link} to="/broadcasts" size="sm">
        ← {t.broadcasts.title}
      </Anchor>
      <QueryState query={broadcast}>
        {(b) => (
          <>
            <BroadcastSummary broadcast={b} />
            <BroadcastDeliveries id={b.id} running={isRunning(b)} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
