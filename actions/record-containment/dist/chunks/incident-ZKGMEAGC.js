import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{v as a,w as b,x as c}from"./chunk-623IBRVJ.js";export{a as buildIncidentLedger,b as buildIncidentPorts,c as incidentIssueMirror};
