export * from './scan-answer';
