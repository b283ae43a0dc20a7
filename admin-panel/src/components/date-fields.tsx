/**
 * Date and time fields in the panel's language: a calendar picker showing `DD.MM.YYYY` (Russian
 * month and weekday names in Russian, weeks from Monday) and a 24-hour time field. Values stay in
 * the wire format the forms use: `YYYY-MM-DD` and `HH:mm` (empty string when unset).
 */
import { DateInput, DatesProvider, TimePicker, type DateInputProps, type TimePickerProps } from "@mantine/dates";
import type { ReactNode } from "react";
import { useI18n } from "@/lib/i18n";
import { dayjs } from "@/lib/time";

/** Mantine dates settings for the panel's language (every picker below it follows). */
export function PanelDatesProvider({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return <DatesProvider settings={{ locale: lang, firstDayOfWeek: 1, weekendDays: [0, 6] }}>{children}</DatesProvider>;
}

export const DATE_FORMAT = "DD.MM.YYYY";

/** Typed text as `YYYY-MM-DD`: `DD.MM.YYYY` (also with `/` or `-`) or ISO; a partial date is `null`. */
export function parseDate(text: string): string | null {
  const s = text.trim();
  const d = dayjs(s, ["DD.MM.YYYY", "D.M.YYYY", "DD/MM/YYYY", "DD-MM-YYYY", "YYYY-MM-DD"], true);
  return d.isValid() ? d.format("YYYY-MM-DD") : null;
}

type DateFieldProps = Omit<DateInputProps, "value" | "onChange" | "defaultValue"> & {
  value?: string;
  onChange: (value: string) => void;
};

/** A date (`YYYY-MM-DD`, `""` when empty) picked from a calendar or typed as `DD.MM.YYYY`. */
export function DateField({ value, onChange, ...rest }: DateFieldProps) {
  const { t } = useI18n();
  return (
    <DateInput
      valueFormat={DATE_FORMAT}
      placeholder={t.common.datePlaceholder}
      clearable
      dateParser={parseDate}
      value={value || null}
      onChange={(v) => onChange(v ?? "")}
      {...rest}
    />
  );
}

type TimeFieldProps = Omit<TimePickerProps, "value" | "onChange" | "format"> & { value?: string; onChange: (value: string) => void };

/**
 * A 24-hour time (`HH:mm`, `""` while incomplete): hours and minutes fields with a dropdown of times.
 * Without a visible `label`, `aria-label` names it (its hours and minutes read "Начало 1: часы").
 */
export function TimeField({ value, onChange, label, "aria-label": ariaLabel, ...rest }: TimeFieldProps) {
  const { t } = useI18n();
  const name = typeof label === "string" ? label : (ariaLabel ?? t.slots.time);
  return (
    <TimePicker
      format="24h"
      label={label}
      value={value ?? ""}
      onChange={onChange}
      withDropdown
      hoursInputLabel={`${name}: ${t.common.hours}`}
      minutesInputLabel={`${name}: ${t.common.minutes}`}
      clearable
      {...rest}
    />
  );
}
