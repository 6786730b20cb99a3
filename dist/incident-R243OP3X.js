import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-FU6ZYCER.js";import"./chunk-LKN7WYBI.js";import"./chunk-HS4NLB4S.js";import"./chunk-EYZLPTXO.js";import"./chunk-VYU3HGPB.js";import"./chunk-YYSE4XQA.js";import"./chunk-M4XDQKFE.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";export{a as buildIncidentLedger,b as buildIncidentPorts,c as incidentIssueMirror};
