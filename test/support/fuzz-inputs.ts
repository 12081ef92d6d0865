import fc from 'fast-check';

/**
 * Hostile input as the text a client writes, for the fuzz suite: JSON that JSON.stringify cannot
 * produce (thousands of nested arrays, own `__proto__` keys, lone surrogates, number literals
 * beyond a double), and path ids and query strings. A payload is a valid one with one change
 * (see Mutation), so that validation gets past its first check. Every generated value stays well
 * under the 64 KiB frame limit: a payload is refused for what it says, not for its size.
 */

/** The most UTF-8 bytes one generated value takes; a payload holds at most one such value. */
const MAX_VALUE_BYTES = 40_000;

const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((unit) => String.fromCharCode(unit));

/** One code point, or now and then a lone surrogate (fast-check's 'binary' unit never is one). */
const codeUnit = fc.oneof(
  { weight: 9, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
);

/**
 * Characters that validation, storage or display must handle: NUL (PostgreSQL refuses it in text,
 * so it gets a weight of its own), other controls, separators, invisible and bidi format
 * characters, noncharacters, lone surrogates, and JSON's and URLs' own escapes.
 */
const specialCharacter = fc.oneof(
  fc.constant('\u0000'),
  fc.integer({ min: 1, max: 0x1f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom(
    '\u007f',
    '\u0085',
    '\u00a0',
    '\u2028',
    '\u200b',
    '\u200d',
    '\u202e',
    '\ufeff',
    '\ufffd',
    '\uffff',
    '\u{10ffff}',
    '\\',
    '"',
    '%',
  ),
  loneSurrogate,
);

/** Pieces of emoji sequences, joined in any order: joiners, variation selectors, flags, tones. */
const EMOJI_PARTS = [
  '👩',
  '💻',
  '🏳',
  '🌈',
  '❤',
  '\u200d',
  '\ufe0f',
  '\ufe0e',
  '🏽',
  '🇫',
  '🇷',
  '#',
  '\u20e3',
  'e',
  '\u0301',
];

/** Strings a parser might take for something else, and well-formed emoji sequences. */
const TRICKY_STRINGS = [
  '',
  ' ',
  ' \t\n ',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '0x10',
  '1n',
  ' 1',
  '01',
  '-0',
  'null',
  'true',
  'undefined',
  '👩‍💻',
  '🏳️‍🌈',
  '🇫🇷',
  '1️⃣',
  '👍🏽',
  'e\u0301',
  '__proto__',
  'constructor',
  'general',
  '<script>alert(1)</script>',
  "'; DROP TABLE messages; --",
];

/** JSON number literals at and beyond the edges: ids, doubles, and digits no double holds. */
const NUMBER_LITERALS = [
  '0',
  '-0',
  '1',
  '-1',
  '1.5',
  '1e308',
  '-1e308',
  '1e999',
  '-1e999',
  '5e-324',
  '1E2',
  '2147483647',
  '2147483648',
  '4294967296',
  '9007199254740991',
  '9007199254740993',
  '1' + '0'.repeat(400),
  '-' + '9'.repeat(400),
  '0.' + '0'.repeat(400) + '1',
];

/** Lengths next to the contract's limits (names, ids, descriptions, content). */
const LIMIT_LENGTHS = [2, 3, 32, 33, 64, 65, 128, 129, 500, 501, 4000, 4001];

/** One unit repeated: up to and past the limits, counted in code points or in UTF-16 units. */
const longString = fc.constantFrom('x', ' ', 'é', '😀', 'a\ufe0f', '👩‍💻', '\u200b').chain((unit) => {
  const most = Math.floor(MAX_VALUE_BYTES / Buffer.byteLength(unit));
  return fc
    .oneof(
      fc.constantFrom(...LIMIT_LENGTHS.filter((length) => length <= most)),
      fc.integer({ min: 1, max: most }),
    )
    .map((count) => unit.repeat(count));
});

/** Short strings of every kind, for keys, path segments and query parts. */
const shortString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: codeUnit, maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }),
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 8 }), specialCharacter, fc.string({ maxLength: 8 }))
      .map(([before, special, after]) => `${before}${special}${after}`),
  },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
);

/** Strings of every kind: short ones, emoji sequences, and long ones. */
const anyString = fc.oneof(
  { weight: 3, arbitrary: shortString },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(...EMOJI_PARTS), { minLength: 1, maxLength: 12 })
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: longString },
);

/** Arrays or objects nested from a few levels to tens of thousands. */
const deepNesting = fc
  .tuple(
    fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"__proto__":', '}'], ['[{"a":', '}]']),
    fc.constantFrom('1', '"x"', 'null', '{}'),
  )
  .chain(([[open, close], inner]) =>
    fc
      .oneof(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: Math.floor(MAX_VALUE_BYTES / (open.length + close.length)) }),
      )
      .map((depth) => `${open.repeat(depth)}${inner}${close.repeat(depth)}`),
  );

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Objects with a prototype key, at the top or one level down. */
const prototypeObject = fc
  .tuple(
    fc.constantFrom(...PROTOTYPE_KEYS),
    fc.constantFrom('{}', '{"admin":true}', 'null', '1', '[]', '{"toString":1}'),
    fc.boolean(),
  )
  .map(([key, value, nested]) => (nested ? `{"a":{"${key}":${value}}}` : `{"${key}":${value}}`));

/** Any JSON value, as text; strings most often, as most fields are strings. */
export const anyJsonText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(...NUMBER_LITERALS, 'null', 'true', 'false', '[]', '{}'),
  },
  { weight: 4, arbitrary: anyString.map((text) => JSON.stringify(text)) },
  {
    weight: 2,
    arbitrary: fc
      .jsonValue({ maxDepth: 3, stringUnit: codeUnit })
      .map((value) => JSON.stringify(value)),
  },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: prototypeObject },
);

/** A request body that is not JSON, or JSON cut short. */
const notJsonText = fc.oneof(
  fc.string({ maxLength: 40 }),
  anyJsonText.filter((text) => text.length > 1).map((text) => text.slice(0, -1)),
);

/** A whole request body: any JSON value (an object or not) or no JSON at all. */
export const anyBodyText = fc.oneof(anyJsonText, notJsonText);

/** Two or three Socket.IO event arguments where one is expected, as the text between commas. */
export const socketIoArguments = fc
  .tuple(anyJsonText, fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 2 }))
  .map(([first, others]) => [first, ...others.map((value) => JSON.stringify(value))].join(','));

/** Keys a payload must not have, or has already: prototype keys, other fields, anything. */
const payloadKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, 'type', 'request_id', 'room_id', 'content', 'toString'),
  shortString,
);

/**
 * A small change to a valid JSON value, which keeps most of it so that validation looks further:
 * a character inserted (into its text, for a number or a boolean), its text repeated to a length
 * (a number's digits stay a number: a huge id), or the value wrapped in an array, an object or a
 * string. The result is always valid JSON.
 */
type Tweak =
  { insert: string; at: number } | { repeatTo: number } | { wrap: 'array' | 'object' | 'string' };

const tweak: fc.Arbitrary<Tweak> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      insert: specialCharacter,
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ repeatTo: fc.constantFrom(...LIMIT_LENGTHS, 400) }) },
  { weight: 1, arbitrary: fc.record({ wrap: fc.constantFrom('array', 'object', 'string') }) },
);

function tweaked(valueText: string, how: Tweak): string {
  if ('wrap' in how) {
    if (how.wrap === 'array') return `[${valueText}]`;
    return how.wrap === 'object' ? `{"value":${valueText}}` : JSON.stringify(valueText);
  }
  const value: unknown = JSON.parse(valueText);
  const text = String(value);
  if ('insert' in how) {
    const at = Math.floor(how.at * (text.length + 1));
    return JSON.stringify(`${text.slice(0, at)}${how.insert}${text.slice(at)}`);
  }
  const repeated = text
    .repeat(Math.ceil(how.repeatTo / Math.max(1, text.length)))
    .slice(0, how.repeatTo);
  // Digits that JSON reads as a number stay one; the rest (`00`, `-1-1`) become a string.
  const isJsonNumber = typeof value === 'number' && /^(0|[1-9]\d*)$/.test(repeated);
  return isJsonNumber ? repeated : JSON.stringify(repeated);
}

/**
 * One change to a valid payload: a field's value replaced or tweaked, a field removed, a key
 * added (or a field given twice), or the whole payload replaced. Values and keys are text as sent.
 */
export type Mutation =
  | { replace: string; value: string }
  | { tweak: string; how: Tweak }
  | { remove: string }
  | { add: string; value: string }
  | { whole: string };

function mutationOf(
  fields: readonly string[],
  keys: fc.Arbitrary<string>,
  values: fc.Arbitrary<string>,
  options: { tweaks: boolean; whole?: fc.Arbitrary<string> },
): fc.Arbitrary<Mutation> {
  const field = fields.length > 0 ? fc.constantFrom(...fields) : undefined;
  const changes: fc.WeightedArbitrary<Mutation>[] = [
    { weight: 1, arbitrary: fc.record({ add: keys, value: values }) },
  ];
  if (field) {
    changes.push(
      { weight: 3, arbitrary: fc.record({ replace: field, value: values }) },
      { weight: 1, arbitrary: fc.record({ remove: field }) },
    );
    if (options.tweaks)
      changes.push({ weight: 4, arbitrary: fc.record({ tweak: field, how: tweak }) });
  }
  if (options.whole) changes.push({ weight: 1, arbitrary: fc.record({ whole: options.whole }) });
  return fc.oneof(...changes);
}

/** A change to a JSON object payload with these fields; `whole` replaces it entirely. */
export function jsonMutation(
  fields: readonly string[],
  whole?: fc.Arbitrary<string>,
): fc.Arbitrary<Mutation> {
  return mutationOf(fields, payloadKey, anyJsonText, { tweaks: true, whole });
}

/** Percent-encodes text as a URL would carry it (a lone surrogate becomes U+FFFD first). */
function encoded(text: string): string {
  return encodeURIComponent(text.toWellFormed());
}

/** Escapes a decoder must refuse or survive: malformed, truncated, overlong, a lone surrogate. */
const BAD_ESCAPES = ['%', '%ZZ', '%E0%A4', '%C0%AF', '%FF', '%ED%A0%80', '%00'];

/** A path segment where an id goes: ids written every way, bad escapes, anything. */
export const pathIdText = fc.oneof(
  fc.constantFrom(
    ...NUMBER_LITERALS.filter((literal) => /^\d+$/.test(literal)),
    '-1',
    '01',
    '1.0',
    '1e3',
    '0x10',
    '0b1',
    '+1',
    '1n',
    'NaN',
    'Infinity',
    '%201',
    '1%20',
    '1;x',
    '1%3B',
    '%2e%2e',
    '%2F',
    '__proto__',
    '%F0%9F%98%80',
    ...BAD_ESCAPES,
  ),
  fc.nat().map(String),
  shortString.map(encoded),
);

/** A change to a query string with these parameters: values and keys of every kind. */
export function queryMutation(fields: readonly string[]): fc.Arbitrary<Mutation> {
  const values = fc.oneof(
    fc.constantFrom(...NUMBER_LITERALS, '', 'NaN', 'Infinity', '0x10', '%201', ...BAD_ESCAPES),
    shortString.map(encoded),
  );
  const keys = fc.oneof(
    fc.constantFrom(
      ...fields,
      ...fields.map((field) => `${field}[]`),
      'limit[a]',
      '__proto__',
      '__proto__[x]',
      'constructor[prototype]',
      'a[b][c][d][e][f][g][h][i][j]',
      ...BAD_ESCAPES,
    ),
    shortString.map(encoded),
  );
  const whole = fc.array(fc.tuple(keys, values), { maxLength: 4 }).map((pairs) => queryText(pairs));
  return mutationOf(fields, keys, values, { tweaks: false, whole });
}

/** `base` (field name to value, as sent) with `mutation` applied, written by `write`. */
function mutated(
  base: Record<string, string>,
  mutation: Mutation,
  write: (fields: [string, string][]) => string,
): string {
  if ('whole' in mutation) return mutation.whole;
  const fields = Object.entries(base)
    .filter(([name]) => !('remove' in mutation && mutation.remove === name))
    .map(([name, value]): [string, string] => {
      if ('replace' in mutation && mutation.replace === name) return [name, mutation.value];
      if ('tweak' in mutation && mutation.tweak === name) {
        return [name, tweaked(value, mutation.how)];
      }
      return [name, value];
    });
  if ('add' in mutation) fields.push([mutation.add, mutation.value]);
  return write(fields);
}

function objectText(fields: [string, string][]): string {
  return `{${fields.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

function queryText(pairs: [string, string][]): string {
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/** The JSON text of `base` (values as JSON text) with `mutation` applied. */
export function mutatedJson(base: Record<string, string>, mutation: Mutation): string {
  return mutated(base, mutation, objectText);
}

/** The query string of `base` (values percent-encoded) with `mutation` applied. */
export function mutatedQuery(base: Record<string, string>, mutation: Mutation): string {
  return mutated(base, mutation, queryText);
}
