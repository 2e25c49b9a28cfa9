import { execFileSync } from 'node:child_process';
import { buildImages } from '../../scripts/docker/images.mjs';

/** Builds the images once per run; the test files find their tags in the environment. */
export default async function globalSetup() {
  // The specs import the local pool's package (free ports, the test helper) from its build.
  execFileSync(process.execPath, ['packages/local-cognito/build.mjs'], { stdio: 'inherit' });
  const images = await buildImages();
  process.env.DOCKER_TEST_NODE_IMAGE = images.nodeImage;
  process.env.DOCKER_TEST_BACKEND_IMAGE = images.backend;
  process.env.DOCKER_TEST_EMULATOR_IMAGE = images.emulator;
}
