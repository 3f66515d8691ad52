import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import type { Category } from '@einlass/contracts';
import { BADGE_LABELS, type BadgeLabels, type CategoryColours } from './event-branding.entity';

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
const colour = () => Matches(HEX_COLOUR, { message: '$property must be a colour as #rrggbb' });

/** One colour per category; any other key is refused by the validation pipe, named. */
export class CategoryColoursDto implements CategoryColours {
  @IsOptional() @colour() attendee?: string;
  @IsOptional() @colour() speaker?: string;
  @IsOptional() @colour() press?: string;
  @IsOptional() @colour() staff?: string;
  @IsOptional() @colour() exhibitor?: string;
}

/**
 * PUT /api/events/:slug/branding. A field sent replaces what was stored (categoryColours as a
 * whole: a category left out goes back to its default colour); a field left out stays.
 */
export class UpdateBrandingDto {
  @IsOptional()
  @IsObject({ message: 'categoryColours must be an object of category: "#rrggbb"' })
  @ValidateNested()
  @Type(() => CategoryColoursDto)
  categoryColours?: CategoryColoursDto;

  @IsOptional()
  @IsIn(BADGE_LABELS, { message: `labels must be one of ${BADGE_LABELS.join(', ')}` })
  labels?: BadgeLabels;
}

/** The colours as stored: only the categories given, in lower case. */
export function storedColours(dto: CategoryColoursDto): CategoryColours {
  const colours: CategoryColours = {};
  for (const [category, value] of Object.entries(dto) as [Category, string | undefined][]) {
    if (value !== undefined) colours[category] = value.toLowerCase();
  }
  return colours;
}
