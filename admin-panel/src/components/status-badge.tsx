import { Badge } from "@mantine/core";

const COLORS: Record<string, string> = {
  active: "blue",
  open: "green",
  full: "indigo",
  attended: "green",
  completed: "green",
  sent: "green",
  no_show: "orange",
  failed: "red",
  blocked: "red",
  unreachable: "gray",
  cancelled: "gray",
  cancelled_by_admin: "gray",
  cancelled_by_candidate: "gray",
  rescheduled: "gray",
  deleted: "gray",
  scheduled: "violet",
  fanning_out: "cyan",
  sending: "cyan",
  pending: "yellow",
  published: "yellow",
};

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return (
    <Badge color={COLORS[status] ?? "gray"} variant="light">
      {label}
    </Badge>
  );
}
