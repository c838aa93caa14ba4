import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ClosedBody } from '../../common/closed-body.decorator.js';

/** Any non-empty new password is well formed: the domain's policy judges it, with a code of its own. */
@ClosedBody()
export class ChangePasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 1024, writeOnly: true, description: 'The password the user has now' })
  @IsString()
  @Length(1, 1024)
  currentPassword: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 1024,
    writeOnly: true,
    description: 'Checked against the domain’s password policy (its minimum length, common and breached passwords)',
  })
  @IsString()
  @Length(1, 1024)
  newPassword: string;
}
