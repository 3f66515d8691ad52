export * from './print-frame';
