/** The filters above a list: a responsive grid of fields and, once any is set, a reset button. */
import { Button, Group, Select, SimpleGrid, Stack, TextInput, type SimpleGridProps } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useState, type ReactNode } from "react";
import { useI18n } from "@/lib/i18n";

export function FilterBar({ children, cols = { base: 1, xs: 2, md: 4 }, filtered, onReset }: {
  children: ReactNode;
  cols?: SimpleGridProps["cols"];
  /** Whether any filter is set (shows the reset button). */
  filtered?: boolean;
  onReset?: () => void;
}) {
  const { t } = useI18n();
  return (
    <Stack gap={4}>
      <SimpleGrid cols={cols}>{children}</SimpleGrid>
      {filtered && onReset && (
        <Group justify="flex-end">
          <Button size="compact-sm" variant="subtle" onClick={onReset}>
            {t.common.resetFilters}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** A search box that reports its trimmed text 300 ms after typing stops. */
export function SearchFilter({ label, placeholder, value, onChange }: { label: string; placeholder?: string; value: string; onChange: (q: string) => void }) {
  const [text, setText] = useState(value);
  const [reported, setReported] = useState(value);
  // A reset from outside (the filters cleared): show it.
  if (value !== reported) {
    setReported(value);
    if (value !== text.trim()) setText(value);
  }
  const report = useDebouncedCallback((q: string) => onChange(q), 300);
  return (
    <TextInput
      type="search"
      label={label}
      placeholder={placeholder}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        report(e.currentTarget.value.trim());
      }}
    />
  );
}

/** One of a few values, or all (cleared). */
export function ChoiceFilter<V extends string>({ label, value, options, onChange }: {
  label: string;
  value: V | undefined;
  options: { value: V; label: string }[];
  onChange: (value: V | undefined) => void;
}) {
  const { t } = useI18n();
  return (
    <Select
      label={label}
      clearable
      placeholder={t.common.all}
      value={value ?? null}
      onChange={(v) => onChange((v ?? undefined) as V | undefined)}
      data={options}
    />
  );
}
