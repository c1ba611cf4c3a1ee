import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

/** `GET /operator/shops?tenantId=&problem=`. */
export class OperatorShopsQueryDto {
  @ApiPropertyOptional({ description: "Only this tenant's shops.", format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({
    description: 'true: only shops with a problem (`problems` not empty); false: only without.',
    type: Boolean,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  problem?: boolean;
}
