import { Module } from '@nestjs/common';
import { BrandingController } from './branding.controller';

/** Event branding on badges: logo, category colours, label language (the API; rendering reads it). */
@Module({ controllers: [BrandingController] })
export class BrandingModule {}
