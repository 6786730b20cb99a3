// Pulumi's policy-pack runner loads a pack with require(); this pack is ES-module TypeScript, so
// register tsx's loader and import it. The runner awaits the returned promise.
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { register } = require('tsx/esm/api');

register();
module.exports = () => import(pathToFileURL(path.join(__dirname, 'index.ts')).href);
