import { Injectable } from '@nestjs/common';
import { SessionsService } from '../auth/sessions.service';
import type { AuthUser } from '../common/auth/auth-user';
import { logModeration } from '../common/logging/moderation-log';
import { UsersService } from '../users/users.service';
import { AdminError } from './admin.error';
import type { AdminUserResponse } from './dto/admin-user.response';

/** What server admins do to accounts. */
@Injectable()
export class AdminService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  async listUsers(auth: AuthUser): Promise<AdminUserResponse[]> {
    await this.assertAdmin(auth);
    const users = await this.users.listAll();
    const responses = await this.users.toResponses(users);
    return responses.map((response, i) => ({
      ...response,
      deactivated: users[i].deactivatedAt !== null,
    }));
  }

  /**
   * The account cannot sign in from now on, and every session of it ends at once: its tokens are
   * refused and its connections closed, on every process.
   */
  async deactivate(auth: AuthUser, userId: number): Promise<void> {
    await this.assertAdmin(auth);
    if (userId === auth.id) throw AdminError.ownAccount();
    await this.users.setDeactivated(userId, true);
    await this.sessions.endAllSessionsOf(userId);
    logModeration({ action: 'user_deactivated', actorId: auth.id, targetUserId: userId });
  }

  async reactivate(auth: AuthUser, userId: number): Promise<void> {
    await this.assertAdmin(auth);
    await this.users.setDeactivated(userId, false);
    logModeration({ action: 'user_reactivated', actorId: auth.id, targetUserId: userId });
  }

  private async assertAdmin(auth: AuthUser): Promise<void> {
    if (!(await this.users.isServerAdmin(auth.id))) throw AdminError.notAdmin();
  }
}
