/** Who interviews in a slot (several: a panel interview), from `GET /api/interviewers`, by name. */
import { MultiSelect, Select, type MultiSelectProps } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useI18n } from "@/lib/i18n";
import { interviewersQueryOptions } from "../api/accounts";

type Props = Omit<MultiSelectProps, "value" | "onChange" | "data"> & {
  value: number[];
  onChange: (ids: number[]) => void;
};

export function InterviewerSelect({ value, onChange, ...rest }: Props) {
  const { t } = useI18n();
  const interviewers = useQuery(interviewersQueryOptions());
  const data = (interviewers.data ?? []).map((i) => ({ value: String(i.id), label: i.name }));
  return (
    <MultiSelect
      label={t.interviewers.label}
      placeholder={value.length ? undefined : t.interviewers.placeholder}
      description={value.length > 1 ? t.interviewers.panel : undefined}
      nothingFoundMessage={t.interviewers.nobody}
      searchable
      clearable
      data={data}
      value={value.map(String)}
      onChange={(ids) => onChange(ids.map(Number))}
      {...rest}
    />
  );
}

/** The recruiters' filter: one interviewer's slots or bookings, or everyone's (cleared). */
export function InterviewerFilter({ value, onChange }: { value: number | undefined; onChange: (id: number | undefined) => void }) {
  const { t } = useI18n();
  const interviewers = useQuery(interviewersQueryOptions());
  return (
    <Select
      label={t.interviewers.filter}
      clearable
      searchable
      placeholder={t.common.all}
      data={(interviewers.data ?? []).map((i) => ({ value: String(i.id), label: i.name }))}
      value={value === undefined ? null : String(value)}
      onChange={(v) => onChange(v === null ? undefined : Number(v))}
    />
  );
}
