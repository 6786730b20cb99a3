import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-PGYIZTXP.js";import"./chunk-4YWI7Q3G.js";import"./chunk-Y23BVDBA.js";import"./chunk-RDNBDHKS.js";import"./chunk-FAXJ2ZZI.js";import"./chunk-UZ5RTYM3.js";import"./chunk-CI2WDGV7.js";import"./chunk-4SLSDNCN.js";import"./chunk-UCZGMGD5.js";import"./chunk-7YSTPJ2B.js";import"./chunk-WJVDNEIM.js";import"./chunk-UPXYP5ZQ.js";import"./chunk-AOW3F5PO.js";export{a as buildIncidentLedger,b as buildIncidentPorts,c as incidentIssueMirror};
