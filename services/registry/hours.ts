import type { OfficeHours } from './model.js';

/** Office hours as text, for CSV: `mon-fri 09:00-17:00; sat 09:00-13:00`. */
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function dayNumber(name: string): number {
  const n = DAYS.indexOf(name.trim().toLowerCase()) + 1;
  if (n === 0) throw new Error(`"${name.trim()}" is not a day (mon, tue, wed, thu, fri, sat, sun)`);
  return n;
}

/** Parses the text form; throws an Error whose message says what is wrong. */
export function parseHours(text: string): OfficeHours[] {
  if (text.trim() === '') return [];
  return text.split(';').map((part) => {
    const m = /^\s*([a-zA-Z,\s-]+?)\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$/.exec(part);
    if (!m) throw new Error(`"${part.trim()}" is not like "mon-fri 09:00-17:00"`);
    const days: number[] = [];
    for (const item of m[1]!.split(',')) {
      const [from, to] = item.split('-');
      const a = dayNumber(from!);
      const b = to === undefined ? a : dayNumber(to);
      if (b < a) throw new Error(`"${item.trim()}" runs backwards`);
      for (let d = a; d <= b; d++) days.push(d);
    }
    return { days, open: m[2]!, close: m[3]! };
  });
}

export function formatHours(hours: OfficeHours[]): string {
  return hours
    .map((h) => {
      const runs: string[] = [];
      const days = [...h.days].sort((a, b) => a - b);
      for (let i = 0; i < days.length;) {
        let j = i;
        while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
        runs.push(j > i ? `${DAYS[days[i]! - 1]}-${DAYS[days[j]! - 1]}` : DAYS[days[i]! - 1]!);
        i = j + 1;
      }
      return `${runs.join(',')} ${h.open}-${h.close}`;
    })
    .join('; ');
}
