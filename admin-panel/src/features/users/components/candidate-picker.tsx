/** Picks a candidate by name or @username (a search as you type), never by a numeric id. */
import { Select, type SelectProps } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useI18n } from "@/lib/i18n";
import { usersQueryOptions } from "../api/users";
import { candidateName } from "./candidate-header";

type Props = Omit<SelectProps, "data" | "value" | "onChange" | "searchValue" | "onSearchChange"> & {
  value: number | null;
  onChange: (id: number | null) => void;
};

export function CandidatePicker({ value, onChange, ...rest }: Props) {
  const { t } = useI18n();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim().replace(/^@/, ""), 300);
  const users = useQuery(usersQueryOptions({ q: q || undefined, limit: 10, offset: 0 }));
  const data = (users.data?.items ?? []).map((c) => ({ value: String(c.id), label: `${candidateName(c)}${c.username ? ` @${c.username}` : ""}` }));
  return (
    <Select
      searchable
      clearable
      placeholder={t.broadcasts.testCandidateHint}
      nothingFoundMessage={users.isFetching ? t.common.loading : t.broadcasts.noCandidateFound}
      // A search for a name is not a filter on the ids: every match the server found is offered.
      filter={({ options }) => options}
      data={data}
      value={value === null ? null : String(value)}
      onChange={(v) => onChange(v ? Number(v) : null)}
      searchValue={search}
      onSearchChange={setSearch}
      {...rest}
    />
  );
}
