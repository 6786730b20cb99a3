import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{b as i}from"./chunk-5KE3IWRR.js";import"./chunk-5CU54BMZ.js";import"./chunk-56AAY3VK.js";import"./chunk-GWHINJGE.js";import"./chunk-XGYUXBK3.js";import{b as t}from"./chunk-CJIQR72X.js";import"./chunk-GC3C3ZTN.js";import"./chunk-TIYN3ZK6.js";import"./chunk-4SLSDNCN.js";import"./chunk-UCZGMGD5.js";import"./chunk-UPXYP5ZQ.js";import"./chunk-AOW3F5PO.js";var o=await t(i);export{o as runtime};
