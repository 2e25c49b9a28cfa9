export * from '../../packages/local-cognito/testing/local-pool.mjs';
