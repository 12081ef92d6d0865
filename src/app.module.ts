import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { RealtimeDeliveryModule } from './realtime/delivery/realtime-delivery.module';
import { RealtimeModule } from './realtime/realtime.module';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { HttpShutdown } from './http/http-shutdown';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MessagesModule } from './messages/messages.module';
import { MetricsModule } from './metrics/metrics.module';
import { RoomsModule } from './rooms/rooms.module';
import { SearchModule } from './search/search.module';
import { UsersModule } from './users/users.module';
import { WebModule } from './web/web.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        DatabaseModule.forRoot(config),
        RealtimeDeliveryModule,
        AuthModule,
        UsersModule,
        RoomsModule,
        MessagesModule,
        SearchModule,
        AdminModule,
        HealthModule,
        RealtimeModule,
        WebModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }, HttpShutdown],
    };
  }
}
