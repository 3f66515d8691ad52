export * from './queues';
export * from './categories';
export * from './events';
