import { unsupportedNode } from './node-version.js';

// Imported first by every entry point, so that the refusal comes before anything an older Node might trip on.
const refusal = unsupportedNode(process.versions.node);
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
