export * from './logging';
export * from './health.controller';
export * from './health.module';
export * from './http-exception.filter';
export * from './start-service';
export * from './json-body';
export * from './request-limits';
export * from './redis-settings';
