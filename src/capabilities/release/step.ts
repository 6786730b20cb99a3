/** release shares isolate's step (src/capabilities/isolate/step.ts): one definition of what isolate records and release undoes. */
export { releaseStep } from '../isolate/step.js';
