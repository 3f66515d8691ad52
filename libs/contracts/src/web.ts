/**
 * The part of the contracts browser code uses (the front-ends alias `@einlass/contracts` here):
 * the HTTP shapes and labels, without the queue payload schemas (and zod) the services use.
 */
export * from './categories';
export * from './http';
