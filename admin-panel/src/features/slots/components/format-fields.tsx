/** The interview format: a labelled choice ("онлайн", "в офисе", "по телефону", "Свой вариант…") and, for the last, the words. */
import { Select, TextInput } from "@mantine/core";
import type { GetInputPropsReturnType } from "@mantine/form";
import { useI18n } from "@/lib/i18n";
import { KNOWN_FORMATS } from "@/lib/labels";
import { OWN_FORMAT } from "../lib/format-choice";

/** `choice` and `own` are the form's `getInputProps("format")` and `getInputProps("ownFormat")`. */
export function FormatFields({ choice, own }: { choice: GetInputPropsReturnType; own: GetInputPropsReturnType }) {
  const { t } = useI18n();
  const data = [...KNOWN_FORMATS.map((f) => ({ value: f, label: t.formats[f] })), { value: OWN_FORMAT, label: t.slots.ownFormat }];
  return (
    <>
      <Select label={t.slots.format} data={data} allowDeselect={false} {...choice} />
      {choice.value === OWN_FORMAT && (
        // The server takes at most 1000 characters.
        <TextInput label={t.slots.ownFormatText} placeholder={t.slots.ownFormatHint} maxLength={1000} withAsterisk {...own} />
      )}
    </>
  );
}
