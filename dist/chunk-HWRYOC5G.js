import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{b as n}from"./chunk-5NFSFAUU.js";var s=Symbol.for("firebreak.cli.io");function c(o,e){o[s]=e}function l(o){let e=o;for(;e;){let r=e[s];if(r)return r;e=e.parent}return i()}function u(o){let e=o.optsWithGlobals();return{json:e.json===!0,verbose:e.verbose===!0}}var t=!1;function i(){if(!t){t=!0;for(let o of[process.stdout,process.stderr])o.on("error",e=>{if(e.code!=="EPIPE")throw e})}return{stdout:o=>{process.stdout.write(o.endsWith(`
`)?o:`${o}
`)},stderr:o=>{process.stderr.write(o.endsWith(`
`)?o:`${o}
`)},env:process.env,cwd:process.cwd(),redactor:new n}}function p(o,e){o.stdout(o.redactor.scrub(JSON.stringify(e,null,2)))}export{c as a,l as b,u as c,i as d,p as e};
