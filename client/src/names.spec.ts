import { describe, expect, it } from '@jest/globals';
import { displayName, Names } from './names';

describe('display names', () => {
  it('calls people by their display name, or by their username without one', () => {
    expect(displayName({ username: 'ada', display_name: 'Ada Lovelace' })).toBe('Ada Lovelace');
    expect(displayName({ username: 'ada', display_name: '  ' })).toBe('ada');
    expect(displayName({ username: 'ada', display_name: null })).toBe('ada');
    expect(displayName({ username: 'ada' })).toBe('ada');
  });

  it('keeps names by user id, and counts the changes', () => {
    const names = new Names();
    expect(names.of(1, 'ada')).toBe('ada');
    names.set([
      { id: 1, username: 'ada', display_name: 'Ada' },
      { id: 2, username: 'bob' },
    ]);
    expect(names.of(1, 'ada')).toBe('Ada');
    expect(names.of(2, 'bob')).toBe('bob');
    const version = names.version;
    expect(names.update({ id: 1, username: 'ada', display_name: 'Ada' })).toBe(false);
    expect(names.version).toBe(version);
    expect(names.update({ id: 1, username: 'ada', display_name: 'Countess' })).toBe(true);
    expect(names.of(1, 'ada')).toBe('Countess');
    expect(names.version).toBe(version + 1);
  });
});
