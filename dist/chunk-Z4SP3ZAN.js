import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as n}from"./chunk-RXBOBRMY.js";var s=Symbol.for("firebreak.cli.io");function c(o,r){o[s]=r}function l(o){let r=o;for(;r;){let e=r[s];if(e)return e;r=r.parent}return i()}function u(o){let r=o.optsWithGlobals();return{json:r.json===!0,verbose:r.verbose===!0}}var t=!1;function i(){if(!t){t=!0;for(let o of[process.stdout,process.stderr])o.on("error",r=>{if(r.code!=="EPIPE")throw r})}return{stdout:o=>{process.stdout.write(o.endsWith(`
`)?o:`${o}
`)},stderr:o=>{process.stderr.write(o.endsWith(`
`)?o:`${o}
`)},env:process.env,cwd:process.cwd(),redactor:new n}}function a(o,r){o.stdout(o.redactor.scrub(JSON.stringify(r,null,2)))}export{c as a,l as b,u as c,i as d,a as e};
