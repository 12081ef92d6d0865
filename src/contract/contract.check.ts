/**
 * Compile-time proof that the server's response classes send exactly the contract: `implements`
 * alone lets a class carry a field the contract lacks, or a field missing from the contract stay
 * optional. A mismatch fails `npm run build` here, on the line of the pair that differs.
 */
import type { AdminUserResponse } from '../admin/dto/admin-user.response';
import type { AuthResponse } from '../auth/dto/auth.response';
import type { SessionResponse } from '../auth/dto/session.response';
import type { ErrorBody, FieldErrorBody } from '../common/errors/error-body';
import type { MessageResponse } from '../messages/dto/message.dto';
import type { MemberResponse } from '../rooms/dto/member.response';
import type { RoomResponse } from '../rooms/dto/room.dto';
import type { SearchHitResponse } from '../search/dto/search.dto';
import type { UserResponse } from '../users/dto/user.response';
import type * as Contract from './objects';

/** True only when A and B are the same type: same fields, same types, same optional marks. */
type Exact<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type ContractChecks = [
  Assert<Exact<UserResponse, Contract.User>>,
  Assert<Exact<MemberResponse, Contract.Member>>,
  Assert<Exact<AdminUserResponse, Contract.AdminUser>>,
  Assert<Exact<RoomResponse, Contract.Room>>,
  Assert<Exact<MessageResponse, Contract.Message>>,
  Assert<Exact<SearchHitResponse, Contract.SearchHit>>,
  Assert<Exact<AuthResponse, Contract.AuthResponse>>,
  Assert<Exact<SessionResponse, Contract.Session>>,
  Assert<Exact<FieldErrorBody, Contract.FieldError>>,
  Assert<Exact<ErrorBody, Contract.ErrorBody>>,
];
