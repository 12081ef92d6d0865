import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { RedisConnection } from '../cluster/redis-connection';
import { AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { RedisThrottlerStorage } from './redis-throttler-storage';

@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A key object: given a string, jsonwebtoken first tries it as a public key on every verify.
        secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')),
        signOptions: { algorithm: 'HS256', expiresIn: config.jwt.expiresInSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    // With REDIS_URL, the attempts are counted in Redis (RedisConnection comes from the global
    // ClusterModule), so that all processes share one budget; otherwise in this process.
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, { token: RedisConnection, optional: true }],
      useFactory: (config: AppConfig, redis?: RedisConnection) => {
        if (config.redisUrl !== null && !redis) {
          throw new Error('REDIS_URL is set but no RedisConnection is provided (ClusterModule)');
        }
        return {
          throttlers: [{ name: 'auth', ttl: 60_000, limit: config.rateLimit.authPerMinute }],
          skipIf: () => config.rateLimit.authPerMinute === 0,
          ...(config.redisUrl !== null && redis && { storage: new RedisThrottlerStorage(redis) }),
        };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, { provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
