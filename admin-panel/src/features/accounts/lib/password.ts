/**
 * Why the server refused a password (its 422 says it in English, from zxcvbn's warning), in the
 * reader's language: the common reasons by what the message says, else a general piece of advice.
 */
import type { Dict } from "@/lib/i18n/ru";

const REASONS: [RegExp, keyof Dict["setPassword"]["weakHints"]][] = [
  [/at least \d+ characters/i, "short"],
  [/common password|commonly used/i, "common"],
  [/word by itself/i, "word"],
  [/names and surnames|common names/i, "name"],
  [/repeats/i, "repeat"],
  [/sequences/i, "sequence"],
  [/years|dates/i, "date"],
  [/keyboard|rows of keys/i, "keyboard"],
];

export function weakPasswordReason(serverMessage: string, t: Dict): string {
  // "password: <the problem>; use <the advice>": the advice always names the 12 characters.
  const problem = serverMessage.split(";")[0] ?? "";
  const hit = REASONS.find(([re]) => re.test(problem));
  const reason = hit ? t.setPassword.weakHints[hit[1]] : "";
  return [t.setPassword.weak, reason, hit?.[1] === "short" ? "" : t.setPassword.weakGeneral].filter(Boolean).join(" ");
}
