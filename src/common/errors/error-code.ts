/** Stable error codes of the wire contract, shared by HTTP and WebSocket answers. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  Unauthorized = 'unauthorized',
  InvalidCredentials = 'invalid_credentials',
  /** The password is right, but a server admin has deactivated the account. */
  AccountDeactivated = 'account_deactivated',
  UsernameTaken = 'username_taken',
  RoomNameTaken = 'room_name_taken',
  RoomNotFound = 'room_not_found',
  NotAMember = 'not_a_member',
  NotRoomOwner = 'not_room_owner',
  /** Only a message's author may edit it. */
  NotMessageAuthor = 'not_message_author',
  /** The caller may not do this to this room or message (a moderator's action). */
  Forbidden = 'forbidden',
  /** A room's owner or admin has barred the caller from it. */
  Banned = 'banned',
  UserNotFound = 'user_not_found',
  /** No such message in the room named, or in a room the caller can read. */
  MessageNotFound = 'message_not_found',
  /** No such session among the caller's own. */
  SessionNotFound = 'session_not_found',
  /** A client_msg_id the sender already used for a message to another room. */
  ClientMsgIdConflict = 'client_msg_id_conflict',
  RateLimited = 'rate_limited',
  PayloadTooLarge = 'payload_too_large',
  StorageUnavailable = 'storage_unavailable',
  InternalError = 'internal_error',
  /** The server is stopping; retry (with the same client_msg_id) once reconnected. */
  ServerShuttingDown = 'server_shutting_down',
  /** No such route. */
  NotFound = 'not_found',
}
