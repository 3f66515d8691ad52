export * from './test-env';
export * from './wait-for';
export * from './api-client';
export * from './service-processes';
export * from './tools';
export * from './in-process-app';
export * from './redis-server';
export * from './congress';
