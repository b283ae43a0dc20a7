/** A broadcast's audience as people read it: "Записаны на дату 02.03.2099", "По вакансии: Курьер". */
import { useQuery } from "@tanstack/react-query";
import { sourceLabel } from "@/features/funnel/lib/funnel";
import { linksQueryOptions } from "@/features/links/api/links";
import { useVacancyTitle } from "@/features/vacancies/hooks/use-vacancy-info";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatYmd } from "@/lib/time";

export function useSegmentLabel() {
  const { t } = useI18n();
  const vacancy = useVacancyTitle(t.broadcasts.segmentAnyVacancy);
  const links = useQuery(linksQueryOptions());
  return (s: Schemas["Segment"]): string => {
    const kind = t.broadcasts.segmentKind[s.kind];
    switch (s.kind) {
      case "booked_on":
        return `${kind} ${formatYmd(s.date)}`;
      case "vacancy":
      case "answered_never_booked": {
        const title = vacancy(s.vacancy_id);
        return title ? `${kind}: ${title}` : kind;
      }
      case "source": {
        const link = links.data?.find((l) => l.id === s.link_id);
        return link ? `${kind}: ${sourceLabel(t, { link_id: link.id, label: link.label, kind: link.kind })}` : kind;
      }
      default:
        return kind;
    }
  };
}
