import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as b,b as c}from"./chunk-3T3UTGZ5.js";import"./chunk-CJIQR72X.js";import{a}from"./chunk-GC3C3ZTN.js";import"./chunk-6K6DGVPA.js";import"./chunk-UPXYP5ZQ.js";import"./chunk-AOW3F5PO.js";export{a as NOTIFY_SECRETS,c as capability,b as inputs};
