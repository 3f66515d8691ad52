export * from './scan-answer';
export * from './scan-snapshot';
export * from './attendance';
export * from './labels';
export * from './forecast';
export * from './signing-keys';
export * from './certificates';
export * from './door-devices';
