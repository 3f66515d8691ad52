export * from './queues';
export * from './categories';
export * from './events';
export * from './streams';
export * from './http';
export * from './http/answer-schemas';
