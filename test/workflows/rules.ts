// The rules live in src/ so `firebreak doctor` runs them on an adopting repository.
export * from '../../src/workflow-rules/rules.js';
