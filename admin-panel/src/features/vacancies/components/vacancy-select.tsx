/** A vacancy to pick by its title, or "any vacancy" (`null`); archived ones only when asked for. */
import { Select, type SelectProps } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useI18n } from "@/lib/i18n";
import { vacanciesQueryOptions } from "../api/vacancies";

const ANY = "any";

type Props = Omit<SelectProps, "value" | "onChange" | "data"> & {
  value: number | null;
  onChange: (id: number | null) => void;
  /** The label of `null` ("Любая вакансия"); without it a vacancy must be chosen. */
  anyLabel?: string;
  /** Archived vacancies too (filters over the past); new things are only for active ones. */
  withArchived?: boolean;
};

export function VacancySelect({ value, onChange, anyLabel, withArchived, ...rest }: Props) {
  const { t } = useI18n();
  const vacancies = useQuery(vacanciesQueryOptions());
  const shown = (vacancies.data ?? []).filter((v) => withArchived || v.status === "active" || v.id === value);
  const data = [
    ...(anyLabel ? [{ value: ANY, label: anyLabel }] : []),
    ...shown.map((v) => ({ value: String(v.id), label: v.status === "archived" ? `${v.title} (${t.vacancies.status.archived})` : v.title })),
  ];
  return (
    <Select
      allowDeselect={false}
      data={data}
      value={value === null ? (anyLabel ? ANY : null) : String(value)}
      onChange={(v) => onChange(v === null || v === ANY ? null : Number(v))}
      {...rest}
    />
  );
}
