import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export const USERNAME_PATTERN = /^[^\s\p{Cc}][^\p{Cc}]*$/u;

export class PasswordDto {
  @ApiProperty({ minLength: 8, maxLength: 1024, writeOnly: true })
  @IsString()
  @Length(8, 1024)
  password: string;
}

export class CreateUserDto extends PasswordDto {
  @ApiProperty({ example: 'alice', maxLength: 128 })
  @IsString()
  @Length(1, 128)
  @Matches(USERNAME_PATTERN, { message: 'username must not start with a space or contain control characters' })
  username: string;
}
