/**
 * CMEP v1.20 §10 quality flags: a letter (`E`, `A`, `N`, `R` or none) optionally followed by a
 * vendor numeric status (`R0`, `N32`), kept as received and split here.
 */
import type { CmepFlag, FlagLetter } from './records.js';

const EMPTY_FLAG: CmepFlag = Object.freeze({ flag: '', letter: '', status: undefined });

/** Splits a flag into letter and vendor numeric status (cmep.md §10); undefined for an unknown letter. */
export function parseFlag(flag: string): CmepFlag | undefined {
  if (flag.length === 0) return EMPTY_FLAG;
  const letter = flagLetterOf(flag);
  if (letter === undefined) return undefined;
  const letterLength = letter === '' ? 0 : 1;
  return { flag, letter, status: flag.length > letterLength ? flag.slice(letterLength) : undefined };
}

/**
 * A flag character as a digit of the flags' exact keys (bijective base 15): digits 1–10, `E` 11,
 * `A` 12, `N` 13, `R` 14; 0 for a character no flag holds.
 */
export function flagKeyDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 47;
  if (code === 69) return 11;
  if (code === 65) return 12;
  if (code === 78) return 13;
  if (code === 82) return 14;
  return 0;
}

/** The letter a flag's first key digit stands for (a digit first means no letter). */
export const LETTER_OF_KEY_DIGIT: readonly FlagLetter[] = ['', '', '', '', '', '', '', '', '', '', '', 'E', 'A', 'N', 'R'];

/** The letter of a non-empty valid flag (letter or digit first, then digits only); undefined otherwise. */
export function flagLetterOf(flag: string): FlagLetter | undefined {
  const first = flagKeyDigit(flag.charCodeAt(0));
  if (first === 0) return undefined;
  for (let index = 1; index < flag.length; index++) {
    const code = flag.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
  }
  return LETTER_OF_KEY_DIGIT[first];
}
