/** Directory import files as a directory admin makes them: the node's columns, a contact point a row, CSV as Excel writes it in Spanish. */

/** The columns of the directory export and import, in order. */
export const HEADER = ['id', 'authority_es', 'authority_en', 'themes', 'request_kinds', 'languages', 'role_title', 'email', 'phone', 'time_zone', 'available_24_7', 'office_hours', 'notes'];

/** A valid contact point `id` in AR, one value a column; `over` replaces some. */
export function row(id: string, over: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    id,
    authority_es: `Fiscalía ${id}`,
    authority_en: '',
    themes: 'victim_identification',
    request_kinds: 'nationality_verification',
    languages: 'es',
    role_title: 'Punto focal; guardia',
    email: `${id}@fiscalia.example`,
    phone: '+54 11 5555 0101',
    time_zone: 'America/Argentina/Buenos_Aires',
    available_24_7: 'sí',
    office_hours: 'mon-fri 09:00-17:00',
    notes: 'Atiende "urgencias"; también fines de semana',
  };
  return HEADER.map((col) => over[col] ?? base[col]!);
}

/** Rows as a Spanish Excel saves CSV: a BOM, semicolons, quotes where needed, CRLF. */
export function semicolons(rows: string[][]): string {
  return '\uFEFF' + rows.map((r) => r.map((c) => (/[;"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';')).join('\r\n') + '\r\n';
}
