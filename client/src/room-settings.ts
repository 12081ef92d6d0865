import type { Room, User } from '../../src/contract/objects';
import type { Api } from './api';
import type { Dialogs } from './dialogs';
import { h, replaceChildren, show, type Listen } from './dom';
import type { Elements } from './elements';
import { errorText } from './error-text';
import { plural } from './format';
import {
  canDeleteRoom,
  canManage,
  memberRights,
  roleWord,
  type Member,
  type Viewer,
} from './moderation';
import type { Names, Person } from './names';
import { toast } from './notify';
import type { RoomStore } from './room-store';
import { avatar, personName } from './views';

export interface RoomSettingsActions {
  /** The room's name or description changed here. */
  changed(): void;
  /** Its members or their roles changed here. */
  membersChanged(): void;
  /** The user deleted the room. */
  deleted(room: Room): void;
}

/**
 * The settings of the open channel, for its owner and admins (and server admins): its name and
 * description, its members with their roles (the owner makes admins; moderators remove and ban),
 * the people banned from it (to unban), and deleting the room. Each destructive
 * action is confirmed first.
 */
export class RoomSettings {
  private roomId: number | null = null;
  private members: Member[] = [];
  /** The people banned from the room, the latest first. */
  private banned: User[] = [];

  constructor(
    private readonly el: Elements,
    private readonly api: Api,
    private readonly store: RoomStore,
    private readonly me: Viewer,
    private readonly names: Names,
    private readonly dialogs: Dialogs,
    private readonly actions: RoomSettingsActions,
  ) {}

  bind(on: Listen): void {
    const { el } = this;
    on(el.roomSettings, 'click', () => this.open());
    on(el.roomForm, 'submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    on(el.roomDelete, 'click', () => void this.deleteRoom());
    on(el.roomDialog, 'close', () => {
      this.roomId = null;
    });
    for (const button of el.roomDialog.querySelectorAll<HTMLButtonElement>('[data-close]')) {
      on(button, 'click', () => el.roomDialog.close());
    }
  }

  /** The room is gone for the user: its settings close. */
  roomGone(roomId: number): void {
    if (this.roomId === roomId) this.el.roomDialog.close();
  }

  private room(): Room | undefined {
    return this.roomId === null ? undefined : this.store.get(this.roomId)?.room;
  }

  open(): void {
    const { el } = this;
    const room = this.store.currentState()?.room;
    if (!room || !canManage(room, this.me)) return;
    this.roomId = room.id;
    this.members = [];
    this.banned = [];
    el.roomName.value = room.name;
    el.roomDescription.value = room.description;
    show(el.roomDelete, canDeleteRoom(room, this.me));
    for (const error of [el.roomError, el.roomActionError]) error.textContent = '';
    el.roomName.removeAttribute('aria-invalid');
    this.render();
    if (!el.roomDialog.open) el.roomDialog.showModal();
    el.roomName.focus();
    void this.load();
  }

  private async save(): Promise<void> {
    const { el } = this;
    const room = this.room();
    if (!room) return;
    const name = el.roomName.value.trim();
    const description = el.roomDescription.value.trim();
    if (name.length === 0) {
      el.roomName.setAttribute('aria-invalid', 'true');
      el.roomError.textContent = 'Give the room a name.';
      el.roomName.focus();
      return;
    }
    el.roomName.removeAttribute('aria-invalid');
    el.roomError.textContent = '';
    const changes = {
      ...(name !== room.name && { name }),
      ...(description !== room.description && { description }),
    };
    if (Object.keys(changes).length === 0) return;
    try {
      const updated = await this.api.updateRoom(room.id, changes);
      this.store.applyRoomUpdate(updated);
      this.actions.changed();
      toast('Room settings saved');
    } catch (error) {
      el.roomError.textContent = `Not saved: ${errorText(error)}`;
      if (changes.name) el.roomName.setAttribute('aria-invalid', 'true');
    }
  }

  /** Loads the room's members and the people banned from it. */
  private async load(): Promise<void> {
    const roomId = this.roomId;
    if (roomId === null) return;
    this.el.roomMembersStatus.textContent = 'Loading members…';
    try {
      const [members, banned] = await Promise.all([
        this.api.members(roomId),
        // Without the list of bans (a refusal, a server without it) the members still show.
        this.api.bans(roomId).catch((): User[] => []),
      ]);
      if (this.roomId !== roomId) return;
      this.members = members;
      this.banned = banned;
      this.names.set(members);
    } catch (error) {
      this.el.roomActionError.textContent = `Could not load the members: ${errorText(error)}`;
    }
    this.render();
  }

  private render(): void {
    const { el } = this;
    const room = this.room();
    if (!room) return;
    const name = (person: Person) => this.names.of(person.id, person.username);
    const order = { owner: 0, admin: 1, member: 2 };
    const members = [...this.members].sort(
      (a, b) =>
        order[a.room_role ?? 'member'] - order[b.room_role ?? 'member'] ||
        name(a).localeCompare(name(b)),
    );
    el.roomMembersStatus.textContent = plural(members.length, 'member', 'members');
    replaceChildren(
      el.roomMembers,
      members.map((member) => this.memberItem(room, member, name(member))),
    );
    show(el.roomBansSection, this.banned.length > 0);
    replaceChildren(
      el.roomBans,
      this.banned.map((person) =>
        this.item(person, name(person), '', [
          this.button('Unban', `Unban ${person.username}`, () => void this.unban(person)),
        ]),
      ),
    );
  }

  private memberItem(room: Room, member: Member, name: string): HTMLLIElement {
    const rights = memberRights(room, this.me, member);
    const { makeRole } = rights;
    const handle = member.username;
    return this.item(member, name, roleWord(member.room_role), [
      makeRole
        ? this.button(
            makeRole === 'admin' ? 'Make admin' : 'Make member',
            `${makeRole === 'admin' ? 'Make admin' : 'Make member'}: ${handle}`,
            () => void this.setRole(member, makeRole),
          )
        : null,
      rights.remove
        ? this.button('Remove', `Remove ${handle}`, () => void this.remove(member, name))
        : null,
      rights.ban
        ? this.button('Ban', `Ban ${handle}`, () => void this.ban(member, name), 'danger')
        : null,
    ]);
  }

  private item(
    person: Person,
    name: string,
    role: string,
    buttons: (HTMLButtonElement | null)[],
  ): HTMLLIElement {
    const shown = buttons.filter((button): button is HTMLButtonElement => button !== null);
    return h(
      'li',
      { class: 'manage-item', attrs: { 'data-user-id': person.id } },
      avatar(person.username, 'small'),
      h(
        'div',
        'manage-text',
        h('span', 'manage-name', ...personName('member-name', name, person.username)),
        role ? h('span', 'role-tag', role) : null,
      ),
      shown.length > 0 ? h('div', 'manage-actions', ...shown) : null,
    );
  }

  private button(text: string, label: string, click: () => void, kind = ''): HTMLButtonElement {
    return h(
      'button',
      {
        class: `btn small${kind ? ` ${kind}` : ''}`,
        attrs: { type: 'button', 'aria-label': label },
        on: { click },
      },
      text,
    );
  }

  /** Runs a moderator's request; its failure is told in the dialog. Returns whether it worked. */
  private async act(request: () => Promise<unknown>, what: string): Promise<boolean> {
    this.el.roomActionError.textContent = '';
    try {
      await request();
      return true;
    } catch (error) {
      this.el.roomActionError.textContent = `${what}: ${errorText(error)}`;
      return false;
    }
  }

  private async setRole(member: Member, role: 'admin' | 'member'): Promise<void> {
    const room = this.room();
    if (!room) return;
    const done = await this.act(
      () => this.api.setMemberRole(room.id, member.id, role),
      'Could not change the role',
    );
    if (done) {
      toast(`${member.username} is now ${role === 'admin' ? 'an admin' : 'a member'}`);
      this.actions.membersChanged();
    }
    await this.load();
  }

  private async remove(member: Member, name: string): Promise<void> {
    const room = this.room();
    if (!room) return;
    const ok = await this.dialogs.confirm(
      `Remove ${name} from ${room.name}? They can join again unless they are banned.`,
      'Remove',
    );
    if (!ok) return;
    const done = await this.act(
      () => this.api.removeMember(room.id, member.id),
      'Could not remove them',
    );
    if (done) {
      toast(`${name} was removed from ${room.name}`);
      this.actions.membersChanged();
    }
    await this.load();
  }

  private async ban(member: Member, name: string): Promise<void> {
    const room = this.room();
    if (!room) return;
    const ok = await this.dialogs.confirm(
      `Ban ${name} from ${room.name}? They are removed and cannot join again until unbanned.`,
      'Ban',
    );
    if (!ok) return;
    const done = await this.act(
      () => this.api.setBanned(room.id, member.id, true),
      'Could not ban them',
    );
    if (done) {
      toast(`${name} was banned from ${room.name}`);
      this.actions.membersChanged();
    }
    await this.load();
  }

  private async unban(person: Person): Promise<void> {
    const room = this.room();
    if (!room) return;
    const done = await this.act(
      () => this.api.setBanned(room.id, person.id, false),
      'Could not unban them',
    );
    if (done) toast(`${person.username} can join ${room.name} again`);
    await this.load();
  }

  private async deleteRoom(): Promise<void> {
    const room = this.room();
    if (!room) return;
    const ok = await this.dialogs.confirm(
      `Delete ${room.name}? Its messages are deleted for everyone, and this cannot be undone.`,
      'Delete room',
    );
    if (!ok) return;
    const done = await this.act(() => this.api.deleteRoom(room.id), 'Could not delete the room');
    if (!done) return;
    this.el.roomDialog.close();
    this.actions.deleted(room);
  }
}
