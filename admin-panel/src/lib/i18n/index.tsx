/** A small typed i18n: one dictionary per language, the choice persisted in localStorage. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { en } from "./en";
import { ru, type Dict } from "./ru";

export const dictionaries = { ru, en } as const;
export type Lang = keyof typeof dictionaries;
export const LANG_KEY = "panel.lang";

function initialLang(): Lang {
  try {
    const saved = window.localStorage.getItem(LANG_KEY);
    if (saved === "ru" || saved === "en") return saved;
  } catch {
    // storage unavailable: default
  }
  return "ru";
}

type I18n = { lang: Lang; t: Dict; setLang: (lang: Lang) => void };

/** The language on screen, for code outside components (error messages). */
let active: Lang = initialLang();
export const activeDict = (): Dict => dictionaries[active];
function rememberActive(lang: Lang) {
  active = lang;
}
const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, lang: fixed }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(fixed ?? initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    rememberActive(next);
    try {
      window.localStorage.setItem(LANG_KEY, next);
    } catch {
      // not persisted; still switched
    }
    document.documentElement.lang = next;
  }, []);
  useEffect(() => rememberActive(lang), [lang]);
  const value = useMemo(() => ({ lang, t: dictionaries[lang], setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}
