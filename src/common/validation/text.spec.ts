import { validateSync } from 'class-validator';
import { codePointLength, isTextOfLength, NoFormatCharacters, TextLength } from './text';

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['😀', 1],
    ['😀😀x', 3],
    ['a\uFE0F', 2],
    ['👩‍💻', 3],
  ])('counts %j as %i code points, as PostgreSQL does', (text, length) => {
    expect(codePointLength(text)).toBe(length);
    expect(codePointLength(text)).toBe([...text].length);
  });
});

describe('isTextOfLength', () => {
  it.each([
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['😀'.repeat(64), true],
    ['😀'.repeat(65), false],
    ['a\uFE0F'.repeat(32), true],
    ['a\uFE0F'.repeat(33), false],
    ['', false],
  ])('%j is within 1..64: %s', (text, within) => {
    expect(isTextOfLength(text, 1, 64)).toBe(within);
  });

  it('wants a string', () => {
    expect(isTextOfLength(5, 0, 10)).toBe(false);
    expect(isTextOfLength(['a'], 0, 10)).toBe(false);
  });
});

class Named {
  @NoFormatCharacters()
  @TextLength(1, 8)
  name!: string;
}

function errorsOf(name: string): string[] {
  return validateSync(Object.assign(new Named(), { name })).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
}

describe('name rules', () => {
  it('accepts letters of any script and emoji', () => {
    expect(errorsOf('Zoë 日本 😀')).toEqual([]);
  });

  it.each([
    ['a zero-width space', 'a\u200Bb'],
    ['a zero-width joiner', 'a\u200Db'],
    ['a right-to-left override', 'a\u202Eb'],
    ['a left-to-right isolate', 'a\u2066b'],
    ['a soft hyphen', 'a\u00ADb'],
  ])('refuses %s', (_, name) => {
    expect(errorsOf(name)).toEqual([expect.stringMatching(/invisible/)]);
  });

  it('words the length error in characters', () => {
    expect(errorsOf('x'.repeat(9))).toEqual(['must be 1 to 8 characters long']);
  });
});
