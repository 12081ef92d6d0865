/** Longest emoji accepted, in UTF-16 units: the longest standard sequences take about 15. */
const MAX_EMOJI_LENGTH = 32;

/**
 * A whole string that is one emoji of Unicode's recommended set (sequences and flags included).
 * Built on first use: browsers before 2023 lack the `v` flag, and importing this must not throw.
 */
let oneEmoji: RegExp | undefined;
const isOneEmoji = (text: string): boolean =>
  (oneEmoji ??= new RegExp('^\\p{RGI_Emoji}$', 'v')).test(text);

/** The text variation selector's counterpart: asks for the emoji form of a symbol such as ❤. */
const EMOJI_PRESENTATION = '\uFE0F';

/**
 * The emoji a reaction names, in its standard form, or null when the text is not exactly one
 * emoji. A symbol typed without its emoji selector (❤, as some keyboards send it) is given one,
 * so that ❤ and ❤️ count as one reaction.
 */
export function reactionEmoji(text: string): string | null {
  if (text.length === 0 || text.length > MAX_EMOJI_LENGTH) return null;
  if (isOneEmoji(text)) return text;
  const presented = text + EMOJI_PRESENTATION;
  return isOneEmoji(presented) ? presented : null;
}
