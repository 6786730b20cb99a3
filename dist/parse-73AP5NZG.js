import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as b}from"./chunk-C7ESROE6.js";import"./chunk-D33HRLLG.js";import"./chunk-FZL7T6SL.js";import"./chunk-7FQ24PV3.js";import{a}from"./chunk-65J4K53D.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";export{a as CONFIG_LIMITS,b as parseConfig};
