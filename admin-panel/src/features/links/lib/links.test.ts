import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api-client";
import { en } from "@/lib/i18n/en";
import { ru } from "@/lib/i18n/ru";
import { csvImportError, linkStateLabel } from "./links";

const v = (message: string) => new ApiError(422, "validation_failed", message);

describe("link states", () => {
  it("are said in Russian and English, never as codes", () => {
    expect((["active", "expired", "used", "revoked"] as const).map((s) => linkStateLabel(ru, s))).toEqual(["действует", "истекла", "использована", "отозвана"]);
    expect((["active", "expired", "used", "revoked"] as const).map((s) => linkStateLabel(en, s))).toEqual(["active", "expired", "used", "revoked"]);
  });
});

describe("csvImportError", () => {
  it("names the line and the reason in the reader's language", () => {
    expect(csvImportError(v("csv: line 3: is not a phone number"), ru)).toBe("Строка 3: телефон не похож на номер");
    expect(csvImportError(v("csv: line 1: the header needs a name column (name or имя)"), ru)).toBe("Строка 1: в заголовке нужен столбец name или имя");
    expect(csvImportError(v("csv: line 4: the name must be 1 to 100 characters"), ru)).toBe("Строка 4: имя пустое или слишком длинное");
    expect(csvImportError(v("csv: line 2: a quote is not closed"), en)).toBe("Line 2: a quote is not closed");
  });

  it("explains an import with nobody, too many people, or a past end date", () => {
    expect(csvImportError(v("csv: no one to invite: add a row per person under the header"), ru)).toBe(ru.links.csvErrors.nobody);
    expect(csvImportError(v("csv: at most 1000 people per import"), ru)).toBe("За один раз можно загрузить не больше 1000 человек.");
    expect(csvImportError(v("expires_at: must be in the future"), ru)).toBe(ru.links.csvErrors.expires);
  });

  it("keeps an unknown reason as the server said it, with its line", () => {
    expect(csvImportError(v("csv: line 7: something new"), ru)).toBe("Строка 7: something new");
  });

  it("says other errors as everywhere else", () => {
    expect(csvImportError(new ApiError(409, "vacancy_archived", "archived"), ru)).toBe(ru.apiErrors.vacancy_archived);
  });
});
