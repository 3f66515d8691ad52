import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** GET /api/events/:slug/audit?limit=&cursor= */
export class ListAuditDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'cursor is not a cursor this list returned' })
  cursor?: string;
}
