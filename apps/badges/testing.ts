/**
 * What tests and benchmarks outside this service may use of it (the lint rule in
 * eslint.config.mjs allows nothing else): the module and its HTTP set-up, its schema, and the
 * badge renderers the print benchmark measures against bare pdfkit.
 */
export { BadgesModule } from './src/badges.module';
export { configureBadgesApp } from './src/configure-app';
export { badgesDatabase } from './src/badges.database';
export type { BadgeContent } from './src/rendering/badge-renderer';
export { SHEET_LAYOUTS } from './src/rendering/sheet-layouts';
export { SheetRenderer } from './src/rendering/sheet-renderer';
