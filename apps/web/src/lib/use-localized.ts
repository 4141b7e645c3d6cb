"use client";

import { useFormatter, useLocale } from "next-intl";
import { useCallback } from "react";
import { toDate, toNumber, type Numeric } from "./format";

/** Picks the name of an org unit (or product) in the current language. */
export function useLocalizedName() {
  const locale = useLocale();
  return useCallback((item: { name: string; nameEn: string } | null | undefined) => (item ? (locale === "en" ? item.nameEn : item.name) : ""), [locale]);
}

/** Money and dates formatted for the current locale (amounts are CNY unless told). */
export function useFormat() {
  const format = useFormatter();
  return {
    money: (value: Numeric | null | undefined, currency = "CNY") => {
      const n = toNumber(value);
      return n == null ? "—" : format.number(n, { style: "currency", currency, currencyDisplay: "narrowSymbol", maximumFractionDigits: 2 });
    },
    date: (value: Date | string | null | undefined) => {
      const d = toDate(value);
      return d ? format.dateTime(d, { year: "numeric", month: "2-digit", day: "2-digit" }) : "—";
    },
    dateTime: (value: Date | string | null | undefined) => {
      const d = toDate(value);
      return d ? format.dateTime(d, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }) : "—";
    },
  };
}
