export * from './label-cap';
export * from './metrics';
export * from './metrics-server';
export * from './scrape-source';
