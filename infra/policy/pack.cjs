// Pulumi's policy-pack runner loads a pack with require(). This pack is TypeScript written as ES
// modules, so load it through tsx's CommonJS API, which compiles it on the fly (tsx is a
// dependency of this pack, see package.json). Constructing the PolicyPack in index.ts starts the analyzer.
const tsx = require('tsx/cjs/api');

module.exports = tsx.require('./index.ts', __filename);
