import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-ZYEAVQS2.js";import"./chunk-MEKW6RJN.js";import"./chunk-QHV4GL3B.js";import"./chunk-55P4EYUM.js";import"./chunk-U45GFIRC.js";import"./chunk-5KZ4B7DB.js";export{a as buildIncidentLedger,b as buildIncidentPorts,c as incidentIssueMirror};
