export * from './api-token.entity';
export * from './principal';
export * from './auth.decorators';
export * from './auth.guard';
export * from './api-token.projection';
export * from './me.controller';
export * from './api-token.streams';
