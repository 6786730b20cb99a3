import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{b as i}from"./chunk-UI4YI2SV.js";import"./chunk-OF7GS7JU.js";import"./chunk-NCOJ23U6.js";import{b as t}from"./chunk-LQCXQVA3.js";import"./chunk-QGQ2IJAC.js";import"./chunk-II5ATAXR.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";var o=await t(i);export{o as runtime};
