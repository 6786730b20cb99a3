import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{d as t}from"./chunk-5IY5PUB4.js";import"./chunk-TIIDQC4I.js";import"./chunk-XEQVGDUV.js";import"./chunk-7FQ24PV3.js";import{c as o}from"./chunk-P5ZAYSPS.js";import"./chunk-QGQ2IJAC.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";var p=await o(t);export{p as runtime};
