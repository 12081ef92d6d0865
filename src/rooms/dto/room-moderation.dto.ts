import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { MAX_ENTITY_ID } from '../../common/validation/id-param.pipe';
import { CreateRoomDto } from './room.dto';

/** A rename or a new description; what is left out stays. Validated as on creation. */
export class UpdateRoomDto extends PartialType(
  PickType(CreateRoomDto, ['name', 'description'] as const),
) {}

/** The roles an owner gives; a room has one owner, its creator. */
const ASSIGNABLE_ROLES = ['admin', 'member'] as const;

export class SetRoomRoleDto {
  @ApiProperty({ example: 'admin', enum: ASSIGNABLE_ROLES })
  @IsIn(ASSIGNABLE_ROLES)
  role!: (typeof ASSIGNABLE_ROLES)[number];
}

export class BanDto {
  @ApiProperty({ example: 7, minimum: 1 })
  @Min(1)
  @Max(MAX_ENTITY_ID)
  @IsInt()
  user_id!: number;
}
