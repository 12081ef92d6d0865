import type { Reaction } from '../../src/contract/objects';
import { reactButton } from './action-bar';
import { h } from './dom';
import { reactedByMe, reactorNames } from './message-changes';

export interface ReactionContext {
  meId: number;
  /** Usernames by id, for the names in the tooltips. */
  names: ReadonlyMap<number, string>;
  /** Whether the user can react (is in the room). */
  canReact: boolean;
  toggle: (emoji: string, on: boolean) => void;
  add: (anchor: HTMLElement) => void;
}

/**
 * A message's reactions: a chip per emoji with its count, pressed when the user is among those who
 * reacted (clicking takes the reaction back, or adds it), its tooltip naming who reacted; then a
 * button to add another.
 */
export function reactionChips(
  reactions: readonly Reaction[],
  context: ReactionContext,
): HTMLElement {
  const chips = reactions.map((reaction) => {
    const mine = reactedByMe(reaction, context.meId);
    const who = reactorNames(reaction, context.meId, context.names);
    return h(
      'button',
      {
        class: `reaction${mine ? ' mine' : ''}`,
        attrs: {
          type: 'button',
          'aria-pressed': String(mine),
          // The visible text first (WCAG 2.5.3), then who reacted.
          'aria-label': `${reaction.emoji} ${reaction.count}, ${who}`,
          title: `${who} reacted with ${reaction.emoji}`,
          'data-emoji': reaction.emoji,
          'data-focus': `reaction:${reaction.emoji}`,
          disabled: !context.canReact,
        },
        on: { click: () => context.toggle(reaction.emoji, !mine) },
      },
      h('span', { class: 'reaction-emoji', attrs: { 'aria-hidden': 'true' } }, reaction.emoji),
      h('span', { class: 'reaction-count', attrs: { 'aria-hidden': 'true' } }, reaction.count),
    );
  });
  return h(
    'div',
    { class: 'reactions', attrs: { role: 'group', 'aria-label': 'Reactions' } },
    ...chips,
    context.canReact ? reactButton(context.add, 'add-reaction', 'reaction-add') : null,
  );
}
