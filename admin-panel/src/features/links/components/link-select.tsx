/** An invitation link to pick by its label (a person's link as "Личное: <name>"), with its vacancy. */
import { Select, type SelectProps } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { sourceLabel } from "@/features/funnel/lib/funnel";
import { useVacancyTitle } from "@/features/vacancies/hooks/use-vacancy-info";
import { useI18n } from "@/lib/i18n";
import { linksQueryOptions } from "../api/links";

type Props = Omit<SelectProps, "value" | "onChange" | "data"> & { value: number | null; onChange: (id: number | null) => void };

export function LinkSelect({ value, onChange, ...rest }: Props) {
  const { t } = useI18n();
  const links = useQuery(linksQueryOptions());
  const vacancy = useVacancyTitle(t.slots.anyVacancy);
  const data = (links.data ?? []).map((l) => ({
    value: String(l.id),
    label: `${sourceLabel(t, { link_id: l.id, label: l.label, kind: l.kind })} · ${vacancy(l.vacancy_id)}`,
  }));
  return <Select searchable allowDeselect={false} data={data} value={value === null ? null : String(value)} onChange={(v) => onChange(v === null ? null : Number(v))} {...rest} />;
}
