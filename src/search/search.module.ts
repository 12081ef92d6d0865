import { Module } from '@nestjs/common';
import { MessagesStoreModule } from '../messages/messages-store.module';
import { RoomsModule } from '../rooms/rooms.module';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({
  imports: [MessagesStoreModule, RoomsModule],
  controllers: [SearchController],
  providers: [SearchService],
})
export class SearchModule {}
