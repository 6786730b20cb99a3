import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{d as t}from"./chunk-P72VOCIP.js";import"./chunk-RYZBOWCQ.js";import"./chunk-FZL7T6SL.js";import"./chunk-7FQ24PV3.js";import{c as o}from"./chunk-4PDZYCKQ.js";import"./chunk-GZP74LQH.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";var p=await o(t);export{p as runtime};
