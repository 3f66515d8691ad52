import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Category } from '@einlass/contracts';

export const BADGE_LABELS = ['de', 'en', 'de-en'] as const;
/** Which words the category band prints: German, English, or both. */
export type BadgeLabels = (typeof BADGE_LABELS)[number];

export const LOGO_TYPES = ['image/png', 'image/jpeg'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

/** Colours as #rrggbb, per category; a category without one keeps the default colour. */
export type CategoryColours = Partial<Record<Category, string>>;

/** How an event's badges look: its logo, category colours and label language. */
@Entity({ name: 'event_branding' })
export class EventBranding {
  @PrimaryColumn({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'bytea', nullable: true })
  logo!: Buffer | null;

  @Column({ type: 'text', nullable: true })
  logoType!: LogoType | null;

  @Column({ type: 'jsonb', default: {} })
  categoryColours!: CategoryColours;

  @Column({ type: 'text', default: 'de-en' })
  labels!: BadgeLabels;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
