import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { SearchHitResponse, SearchQueryDto } from './dto/search.dto';
import { SearchService } from './search.service';

@ApiTags('search')
@Controller('api/search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('messages')
  @ApiOperation({
    summary: 'Messages matching the words of `q`, newest first, each with its room_name',
    description:
      'Searches the rooms the caller is a member of, or with `room_id` that room only (a public ' +
      'room, joined or not, or a private room the caller is in; else 404 room_not_found). Every ' +
      'word must occur as a whole word, in any letter case; `"quoted words"` must occur in that ' +
      'order; `-word` excludes; `or` gives alternatives. Deleted messages are never found. ' +
      'Page back with `before` = the smallest id seen. A `q` without a word to look for (only ' +
      'punctuation, only exclusions) answers [].',
  })
  @ApiOkResponse({ type: [SearchHitResponse] })
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.Unauthorized, ErrorCode.RoomNotFound)
  searchMessages(
    @CurrentUser() auth: AuthUser,
    @Query() query: SearchQueryDto,
  ): Promise<SearchHitResponse[]> {
    return this.search.searchMessages(auth, query);
  }
}
