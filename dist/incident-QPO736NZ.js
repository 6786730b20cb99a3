import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-T43724Q7.js";import"./chunk-QCCGGOQ2.js";import"./chunk-L6S5ZAK2.js";import"./chunk-WPQFGZUB.js";import"./chunk-HXDAPQF3.js";import"./chunk-7RGW52PC.js";import"./chunk-EYZLPTXO.js";import"./chunk-PB2GT3W6.js";import"./chunk-VKWCUUQS.js";import"./chunk-YYSE4XQA.js";import"./chunk-QFA5ZMCX.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";export{a as buildIncidentLedger,b as buildIncidentPorts,c as incidentIssueMirror};
