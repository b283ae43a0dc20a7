import { describe, expect, it } from "vitest";
import type { Schemas } from "@/lib/api-client";
import { en } from "@/lib/i18n/en";
import { ru } from "@/lib/i18n/ru";
import { auditSentence } from "./audit-sentence";

// The team's entries (entity "admin"): the details the server stores for each account.* action.
const entry = (action: string, details: object): Schemas["AuditEntry"] => ({
  id: 1,
  at: "2026-12-01T09:00:00Z",
  action,
  admin_id: 1,
  admin_username: "olga",
  entity_type: "admin",
  entity_id: 2,
  details: details as Schemas["AuditEntry"]["details"],
});
const say = (action: string, details: object, lang: "ru" | "en" = "ru") => auditSentence(entry(action, details), lang === "ru" ? ru : en, lang, "Europe/Moscow");

describe("auditSentence for the team's accounts", () => {
  it("tells invitations, roles and names by the member's login, with the role in words", () => {
    expect(say("account.invite", { username: "irina", display_name: "Ирина", role: "interviewer" })).toBe("olga пригласил(а) в команду Ирина (irina) (Интервьюер)");
    expect(say("account.invite", { username: "irina", display_name: "Ирина", role: "interviewer" }, "en")).toBe("olga invited Ирина (irina) to the team (Interviewer)");
    expect(say("account.role", { username: "irina", from: "interviewer", to: "recruiter" })).toBe("olga изменил(а) роль участника irina: Рекрутер");
    expect(say("account.rename", { username: "irina", display_name: "Ирина С." })).toBe("olga переименовал(а) участника irina в «Ирина С.»");
  });

  it("tells access, password links and calendar feeds", () => {
    expect(say("account.deactivate", { username: "irina" })).toBe("olga отключил(а) участника irina");
    expect(say("account.reactivate", { username: "irina" })).toBe("olga вернул(а) доступ участнику irina");
    expect(say("account.reset_password", { username: "irina" })).toBe("olga выпустил(а) новую ссылку для пароля участнику irina");
    expect(say("account.set_password", {})).toBe("olga задал(а) пароль по ссылке");
    expect(say("account.feed_regenerate", {})).toBe("olga выпустил(а) новую ссылку на свой календарь");
    expect(say("account.feed_revoke", {}, "en")).toBe("olga revoked the link to their calendar");
    // No code reaches the reader.
    for (const a of ["account.invite", "account.role", "account.deactivate"]) expect(say(a, { username: "x", role: "admin" })).not.toMatch(/account\.|admin\b/);
  });
});
