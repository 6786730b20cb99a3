import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
var t={maxBytes:1048576,maxItems:1e4,maxAliasCount:100,maxDepth:64};export{t as a};
