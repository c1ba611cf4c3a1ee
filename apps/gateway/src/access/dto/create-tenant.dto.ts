import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** `POST /tenants`. */
export class CreateTenantDto {
  @ApiProperty({
    description: "The seller's name, as operators will see it.",
    maxLength: 200,
    example: 'Abcd Store',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'name is required: the seller name' })
  @MaxLength(200)
  name: string;
}
