import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { AppConfig } from '../config/app-config';
import { RoomActivity } from './room-activity';
import { RoomEvents } from './room-events';
import { RoomsRepository } from './rooms.repository';

/**
 * The rooms every new account is a member of (DEFAULT_ROOMS), so a person who signs up has
 * somewhere to talk at once. Made at start when missing, as public rooms of the server
 * (`created_by: null`); several processes starting together make each one once.
 */
@Injectable()
export class DefaultRooms implements OnApplicationBootstrap {
  private readonly logger = new Logger(DefaultRooms.name);
  private ids: number[] = [];

  constructor(
    private readonly rooms: RoomsRepository,
    private readonly activity: RoomActivity,
    private readonly events: RoomEvents,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.ids = [];
    for (const name of this.config.defaultRooms) this.ids.push(await this.findOrCreate(name));
  }

  /**
   * Makes a new account a member of each default room, announced to the room; they start with
   * everything before read, as anyone who joins.
   */
  async join(user: AuthUser): Promise<void> {
    for (const roomId of this.ids) {
      const newest = await this.activity.newestMessageId(roomId);
      if (await this.rooms.addMember(roomId, user.id, newest)) {
        await this.events.memberJoined(roomId, user);
      }
    }
  }

  private async findOrCreate(name: string): Promise<number> {
    const existing = await this.rooms.findPublicByName(name);
    if (existing) return existing.id;
    const created = await this.rooms.create({
      name,
      description: '',
      isPrivate: false,
      createdBy: null,
    });
    if (created) {
      this.logger.log(`made the default room "${name}" (${created.id})`);
      return created.id;
    }
    // Another process made it in between.
    const made = await this.rooms.findPublicByName(name);
    if (!made) throw new Error(`the default room "${name}" could neither be made nor found`);
    return made.id;
  }
}
