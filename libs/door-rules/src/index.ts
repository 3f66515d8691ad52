export * from './scan-decision';
export * from './name-folding';
export * from './scan-answers';
