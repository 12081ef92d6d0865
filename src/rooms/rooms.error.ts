import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class RoomsError extends AppError<
  | ErrorCode.RoomNotFound
  | ErrorCode.RoomNameTaken
  | ErrorCode.NotAMember
  | ErrorCode.NotRoomOwner
  | ErrorCode.Forbidden
  | ErrorCode.Banned
  | ErrorCode.UserNotFound
> {
  static notFound(id: number): RoomsError {
    return new RoomsError(ErrorCode.RoomNotFound, `room ${id} does not exist`);
  }

  static nameTaken(name: string): RoomsError {
    return new RoomsError(ErrorCode.RoomNameTaken, `a room named "${name}" already exists`);
  }

  static notAMember(id: number): RoomsError {
    return new RoomsError(
      ErrorCode.NotAMember,
      `you are not a member of room ${id}; join it first`,
    );
  }

  /** Direct rooms keep their two members: nobody joins, leaves or is added. */
  static directRoom(id: number): RoomsError {
    return new RoomsError(
      ErrorCode.Forbidden,
      `room ${id} is a direct room: it cannot be joined, left or given members`,
    );
  }

  /** A moderation the caller's role in the room does not allow. */
  static forbidden(id: number, what: string): RoomsError {
    return new RoomsError(ErrorCode.Forbidden, `you may not ${what} in room ${id}`);
  }

  static banned(id: number): RoomsError {
    return new RoomsError(ErrorCode.Banned, `you are banned from room ${id}`);
  }

  static userBanned(id: number, username: string): RoomsError {
    return new RoomsError(ErrorCode.Banned, `user "${username}" is banned from room ${id}`);
  }

  /** The user named in the path is not a member of the room (or does not exist). */
  static notAMemberOf(id: number, userId: number): RoomsError {
    return new RoomsError(ErrorCode.UserNotFound, `user ${userId} is not a member of room ${id}`);
  }

  static userNotFound(userId: number): RoomsError {
    return new RoomsError(ErrorCode.UserNotFound, `user ${userId} does not exist`);
  }

  static notOwner(id: number): RoomsError {
    return new RoomsError(ErrorCode.NotRoomOwner, `only the owner of room ${id} can add members`);
  }
}
