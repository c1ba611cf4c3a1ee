import { ApiPropertyOptional } from '@nestjs/swagger';
import { SHOP_STATUSES, type ShopStatus } from '@smartship/contracts';
import { IsIn, IsOptional } from 'class-validator';

/** `GET /shops?status=`. */
export class ListShopsQueryDto {
  @ApiPropertyOptional({ description: 'Only shops in this status.', enum: SHOP_STATUSES })
  @IsOptional()
  @IsIn(SHOP_STATUSES)
  status?: ShopStatus;
}
