import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

export class RoomsError extends AppError<
  ErrorCode.RoomNotFound | ErrorCode.RoomNameTaken | ErrorCode.NotAMember | ErrorCode.NotRoomOwner
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

  static notOwner(id: number): RoomsError {
    return new RoomsError(ErrorCode.NotRoomOwner, `only the owner of room ${id} can add members`);
  }
}
