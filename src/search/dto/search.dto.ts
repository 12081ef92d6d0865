import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { LIMITS } from '../../common/limits';
import { MAX_ENTITY_ID } from '../../common/validation/id-param.pipe';
import { NoControlCharacters, TextLength, Trim } from '../../common/validation/text';
import { HistoryQueryDto, MessageResponse } from '../../messages/dto/message.dto';
import { digitsToNumber } from '../../common/validation/quick-check';
import type * as Contract from '../../contract/objects';

const { searchQuery } = LIMITS;

/** Pages back like history: `before` and `limit` as there. */
export class SearchQueryDto extends PickType(HistoryQueryDto, ['before', 'limit'] as const) {
  @ApiProperty({
    description:
      'the words to find, each as a whole word in any letter case; `"a phrase"` in that order, ' +
      '`-word` or `-"a phrase"` excluded, `or` between alternatives',
    example: 'deploy "release notes" -staging',
    minLength: searchQuery.min,
    maxLength: searchQuery.max,
  })
  @Trim()
  @NoControlCharacters()
  @TextLength(searchQuery.min, searchQuery.max, {
    message: `must be ${searchQuery.min} to ${searchQuery.max} characters long after trimming`,
  })
  @IsString()
  q!: string;

  @ApiPropertyOptional({
    description:
      'search this room only: a public room (joined or not) or a private room the caller is in',
    minimum: 1,
  })
  @IsOptional()
  @Transform(digitsToNumber)
  @Min(1)
  @Max(MAX_ENTITY_ID)
  @IsInt()
  room_id?: number;
}

export class SearchHitResponse extends MessageResponse implements Contract.SearchHit {
  @ApiProperty({ example: 'general', description: "the room's name, as the caller sees it" })
  room_name!: string;
}
