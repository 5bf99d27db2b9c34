/** The four working languages of the network; every code has a label in each. */
export const CODE_LANGUAGES = ['es', 'en', 'fr', 'pt'] as const;
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

export type Labels = Readonly<Record<CodeLanguage, string>>;

/** One code: its labels, and whether a value with this code must come with free text. */
export interface CodeEntry extends Labels {
  readonly text?: true;
}

export interface CodeTable<C extends string = string> {
  /** What one code of the table is, for messages: "must be a measure code". */
  readonly noun: string;
  readonly entries: Readonly<Record<C, CodeEntry>>;
}

export function codeTable<C extends string>(noun: string, entries: Record<C, CodeEntry>): CodeTable<C> {
  return { noun, entries };
}
