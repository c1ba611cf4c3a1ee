import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** `POST /tokens`. */
export class CreateTokenDto {
  @ApiProperty({
    description: 'What the token is for, to recognise it when revoking.',
    maxLength: 100,
    example: 'warehouse script',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'name is required: what the token is for' })
  @MaxLength(100)
  name: string;
}
