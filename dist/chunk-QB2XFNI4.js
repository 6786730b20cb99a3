import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
var s={maxBytes:1048576,maxItems:1e4,maxAliasCount:100};export{s as a};
