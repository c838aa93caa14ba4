import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/**
 * The body of POST /login, checked by LocalAuthGuard (not the global pipe): properties it does not
 * name are ignored, as the old service ignored them. A missing, empty or too long field is the
 * contract's 400 `Please provide domain,username & password`.
 */
export class LoginDto {
  @ApiProperty({ example: 'acme', minLength: 1, maxLength: 63 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(63)
  domain: string;

  @ApiProperty({ example: 'alice', minLength: 1, maxLength: 128 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  username: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 1, maxLength: 1024, writeOnly: true })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;
}
