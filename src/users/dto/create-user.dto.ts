import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { ClosedBody } from '../../common/closed-body.decorator.js';

/**
 * Not starting with a space (JavaScript's `\s`), no control characters (`\p{Cc}`) anywhere: the
 * same set as `/^[^\s\p{Cc}][^\p{Cc}]*$/u`, spelled with explicit ranges so the pattern the
 * document publishes means the same in every regex dialect (`\s` and `\p{...}` differ between them).
 */
export const USERNAME_PATTERN = new RegExp(
  String.raw`^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff][^\x00-\x1f\x7f-\x9f]*$`,
  'u',
);

@ClosedBody()
export class PasswordDto {
  @ApiProperty({ minLength: 8, maxLength: 1024, writeOnly: true })
  @IsString()
  @Length(8, 1024)
  password: string;
}

@ClosedBody()
export class CreateUserDto extends PasswordDto {
  @ApiProperty({ example: 'alice', minLength: 1, maxLength: 128, pattern: USERNAME_PATTERN.source })
  @IsString()
  @Length(1, 128)
  @Matches(USERNAME_PATTERN, { message: 'username must not start with a space or contain control characters' })
  username: string;
}
