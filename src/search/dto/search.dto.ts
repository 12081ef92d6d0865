import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { LIMITS } from '../../common/limits';
import { MAX_ENTITY_ID } from '../../common/validation/id-param.pipe';
import { NoControlCharacters, TextLength, Trim } from '../../common/validation/text';
import { MessageResponse } from '../../messages/dto/message.dto';
import type * as Contract from '../../contract/objects';

const { history, searchQuery } = LIMITS;
/** Query values arrive as strings; only plain digits become numbers, anything else fails @IsInt. */
const digitsToNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;

export class SearchQueryDto {
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

  @ApiPropertyOptional({ description: 'only messages with a smaller id (paging back)', minimum: 1 })
  @IsOptional()
  @Transform(digitsToNumber)
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsInt()
  before?: number;

  @ApiPropertyOptional({ minimum: history.min, maximum: history.max, default: history.default })
  @IsOptional()
  @Transform(digitsToNumber)
  @Min(history.min)
  @Max(history.max)
  @IsInt()
  limit?: number;
}

export class SearchHitResponse extends MessageResponse implements Contract.SearchHit {
  @ApiProperty({ example: 'general', description: "the room's name, as the caller sees it" })
  room_name!: string;
}
