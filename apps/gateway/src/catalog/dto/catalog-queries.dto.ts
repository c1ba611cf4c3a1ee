import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  MAPPING_ORDER_STATUSES,
  MAX_PAGE_OFFSET,
  type MappingOrderStatus,
  SKU_IMPORT_FORMATS,
  SKU_IMPORT_LANGS,
  type SkuImportFormat,
  type SkuImportLang,
} from '@smartship/contracts';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** Paging shared by the list routes. */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Page size (1–500).', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({
    description: `Items to skip (0–${MAX_PAGE_OFFSET}).`,
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_OFFSET)
  offset?: number;
}

/** `GET /skus?search=&limit=&offset=`. */
export class ListSkusQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Part of a SKU or option code, seller code or name (case-insensitive).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

/** `GET /orders?status=needs_mapping&shopId=`. */
export class ListOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'needs_mapping: orders held because a line is not mapped (with the reason per line and candidates); mapped: orders published to fulfillment, newest first.',
    enum: MAPPING_ORDER_STATUSES,
    default: 'needs_mapping',
  })
  @IsOptional()
  @IsIn(MAPPING_ORDER_STATUSES)
  status?: MappingOrderStatus;

  @ApiPropertyOptional({ description: 'Only this shop connection.' })
  @IsOptional()
  @IsUUID()
  shopId?: string;
}

/** `GET /skus/import/template?format=`. */
export class TemplateQueryDto {
  @ApiPropertyOptional({ enum: SKU_IMPORT_FORMATS, default: 'xlsx' })
  @IsOptional()
  @IsIn(SKU_IMPORT_FORMATS)
  format?: SkuImportFormat;

  @ApiPropertyOptional({
    enum: SKU_IMPORT_LANGS,
    description:
      'The header row in Korean, Japanese or English titles; without it, the column names (sku_code…). The import reads either.',
  })
  @IsOptional()
  @IsIn(SKU_IMPORT_LANGS)
  lang?: SkuImportLang;
}

/** `POST /skus/import?wait=false`. */
export class ImportQueryDto {
  @ApiPropertyOptional({
    default: true,
    description:
      'true (default): the answer waits for the import (up to IMPORT_WAIT_MS) and is its report; false: 202 at once with the job to follow at GET /imports/:id.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  wait?: boolean;
}
