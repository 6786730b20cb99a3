import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{u as a,v as b,w as c}from"./chunk-T5A375IW.js";export{a as buildIncidentLedger,b as buildIncidentPorts,c as incidentIssueMirror};
