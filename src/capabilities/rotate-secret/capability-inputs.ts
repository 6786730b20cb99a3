/** The schema the lead's capability definition uses; the same object the step reads its inputs with. */
export { rotateSecretInputs as capabilityInputs } from './inputs.js';
