import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{e as n}from"./chunk-W6UBPK2W.js";import{c as s}from"./chunk-EM7ZOBKN.js";import{a as r}from"./chunk-AOW3F5PO.js";var d=Symbol.for("firebreak.cli.io");function p(o,e){o[d]=e}r(p,"attachIo");function u(o){let e=o;for(;e;){let t=e[d];if(t)return t;e=e.parent}return c()}r(u,"ioOf");function m(o){let e=o.optsWithGlobals();return{json:e.json===!0,verbose:e.verbose===!0}}r(m,"globalsOf");var i=!1;function c(){if(!i){i=!0;for(let o of[process.stdout,process.stderr])o.on("error",e=>{if(e.code!=="EPIPE")throw e})}return{stdout:r(o=>{process.stdout.write(n(o.endsWith(`
`)?o:`${o}
`))},"stdout"),stderr:r(o=>{process.stderr.write(n(o.endsWith(`
`)?o:`${o}
`))},"stderr"),env:process.env,cwd:process.cwd(),redactor:new s}}r(c,"processIo");function f(o,e){o.stdout(o.redactor.json(e,2))}r(f,"printJson");export{p as a,u as b,m as c,c as d,f as e};
