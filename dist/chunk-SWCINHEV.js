import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as e}from"./chunk-AOW3F5PO.js";var n={now:e(()=>new Date,"now")},t=e(o=>new Promise(r=>setTimeout(r,o)),"realSleep"),s={info(){},warn(){},error(){},debug(){}};export{n as a,t as b,s as c};
