import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class RoomsError extends AppError<
  | ErrorCode.RoomNotFound
  | ErrorCode.RoomNameTaken
  | ErrorCode.NotAMember
  | ErrorCode.NotRoomOwner
  | ErrorCode.Forbidden
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

  static notOwner(id: number): RoomsError {
    return new RoomsError(ErrorCode.NotRoomOwner, `only the owner of room ${id} can add members`);
  }
}
