// Character tests by UTF-16 code, as a regex character class answers them. The extractors' and the parser's hot
// loops ask one per character, and a regex call per character showed in profiles; a table answers for ASCII (most
// characters of a note) and the class itself is asked only beyond it.

const ASCII = 128;

/**
 * A test of one character code against `pattern` (a class such as /[a-z0-9,\s]/, not global or sticky). A code
 * past the end of a string (NaN) is tested as NUL, which none of the engine's classes holds.
 */
export function characterClass(pattern: RegExp): (code: number) => boolean {
  const ascii = Array.from({ length: ASCII }, (_, code) => pattern.test(String.fromCharCode(code)));
  return (code) => (code < ASCII ? ascii[code]! : pattern.test(String.fromCharCode(code)));
}

/** Whether the character with this code is whitespace, as a regex's \s. */
export const isWhitespace = characterClass(/\s/);

/** Whether the character with this code (NaN past the end: no) is an ASCII small letter, /[a-z]/. */
export function isLowerLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

/** Whether the character with this code (NaN past the end: no) is an ASCII letter, /[A-Za-z]/. */
export function isLetter(code: number): boolean {
  return isLowerLetter(code | 32);
}

/** Whether the character with this code (NaN past the end: no) is an ASCII digit. */
export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
