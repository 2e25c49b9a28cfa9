// The Docker suite, `npm run test:docker`: it builds the images (global setup) and runs them on a
// real Docker engine. Not part of `npm test`, which needs no Docker.
import root from '../../jest.config.js';

const unit = root.projects.find((project) => project.displayName === 'unit');

/** @type {import('jest').Config} */
export default {
  ...unit,
  displayName: 'docker',
  rootDir: '../..',
  roots: ['<rootDir>/test/docker'],
  testRegex: '.*\\.docker-spec\\.ts$',
  globalSetup: '<rootDir>/test/docker/global-setup.mjs',
  // Containers start, become healthy and stop in tens of seconds; the two files run side by side.
  testTimeout: 180_000,
  maxWorkers: 2,
  // Each check's time in CI's log.
  verbose: true,
};
