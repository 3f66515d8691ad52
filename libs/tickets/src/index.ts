export * from './base32';
export * from './ticket-format';
export * from './ticket-signing';
export * from './certificate-code';
