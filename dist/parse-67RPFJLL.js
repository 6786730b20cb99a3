import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as b}from"./chunk-TXTW4VIJ.js";import"./chunk-VZPQFNVK.js";import"./chunk-DQUTMCMA.js";import"./chunk-IBRY4YJH.js";import"./chunk-4UTRWKLQ.js";import"./chunk-XGYWI7NI.js";import"./chunk-GWHINJGE.js";import"./chunk-XGYUXBK3.js";import"./chunk-ZXHW7XEA.js";import"./chunk-RTZEX5TW.js";import"./chunk-TVHJZSZK.js";import{a}from"./chunk-65J4K53D.js";import"./chunk-UPXYP5ZQ.js";import"./chunk-AOW3F5PO.js";export{a as CONFIG_LIMITS,b as parseConfig};
