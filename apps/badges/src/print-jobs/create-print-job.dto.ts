import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CATEGORIES, type Category } from '@einlass/contracts';
import { SHEET_LAYOUT_NAMES, type SheetLayoutName } from '../rendering/sheet-layouts';
import { PRINT_SORTS, type PrintFilter, type PrintSort } from './print-job.entity';

export class PrintFilterDto implements PrintFilter {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CATEGORIES.length)
  @IsIn(CATEGORIES, {
    each: true,
    message: `filter.categories must each be one of ${CATEGORIES.join(', ')}`,
  })
  categories?: Category[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  sessions?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @IsUUID('all', { each: true, message: 'filter.ids must each be a badge (attendee) id' })
  ids?: string[];

  @IsOptional()
  @IsBoolean()
  onlyUnprinted?: boolean;
}

/** POST /api/events/:slug/print-jobs */
export class CreatePrintJobDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => PrintFilterDto)
  filter?: PrintFilterDto;

  @IsOptional()
  @IsIn(PRINT_SORTS, { message: `sort must be one of ${PRINT_SORTS.join(', ')}` })
  sort?: PrintSort;

  @IsOptional()
  @IsIn(SHEET_LAYOUT_NAMES, { message: `layout must be one of ${SHEET_LAYOUT_NAMES.join(', ')}` })
  layout?: SheetLayoutName;
}
