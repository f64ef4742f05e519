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

/** The letter of a non-empty valid flag (letter or digit first, then digits only); undefined otherwise. */
export function flagLetterOf(flag: string): FlagLetter | undefined {
  const first = flag.charCodeAt(0);
  let letter: FlagLetter;
  if (first >= 48 && first <= 57) letter = '';
  else if (first === 69) letter = 'E';
  else if (first === 65) letter = 'A';
  else if (first === 78) letter = 'N';
  else if (first === 82) letter = 'R';
  else return undefined;
  for (let index = 1; index < flag.length; index++) {
    const code = flag.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
  }
  return letter;
}
