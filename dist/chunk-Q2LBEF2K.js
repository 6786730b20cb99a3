import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
var e={waf:{maxEntriesPerSet:1e4,minPrefix:{4:1,6:1}},cloudflare:{minPrefix:{4:8,6:4},maxPrefix:{4:32,6:64},defaultCapacity:1e4,maxCommentLength:500}},a={maxBreadth:{4:16,6:32},maxSharePercent:{4:.1,6:1e-6},maxTtlHours:2160};export{e as a,a as b};
