/**
 * The zkVM proof as a library: proveProgram (prove.ts), verifyProgramProof (verify.ts), the
 * envelope (proof-format.ts) and the steps that worker threads run (proof-tasks.ts).
 */
export * from './proof-format';
export * from './proof-tasks';
export * from './prove';
export * from './verify';
export * from './checkpoint';
