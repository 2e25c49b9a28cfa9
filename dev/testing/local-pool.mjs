// Kept for suites that import the helper by this path: it lives in the local pool's package now.
export * from '../../packages/local-cognito/testing/local-pool.mjs';
