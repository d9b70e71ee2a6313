/**
 * How deeply a JSON text nests, found by one pass over the characters with a counter (no
 * recursion, no parse), so that a body nested thousands of levels deep is refused before
 * `JSON.parse` and the recursive walks of validation see it.
 */

/** Deeper than any FHIR resource the intake takes (a Bundle holding nested QuestionnaireResponse items stays far below). */
export const MAX_JSON_NESTING = 100;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Whether the text's objects and arrays nest deeper than `limit` (brackets inside strings do not count). */
export function nestsDeeperThan(text: string, limit: number = MAX_JSON_NESTING): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index++;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) inString = true;
    else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) depth--;
  }
  return false;
}
