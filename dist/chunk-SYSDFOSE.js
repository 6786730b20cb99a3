import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
var r={now:()=>new Date},n=e=>new Promise(o=>setTimeout(o,e));export{r as a,n as b};
