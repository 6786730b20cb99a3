import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-ZDKGBWNS.js";import"./chunk-DNXHW3GC.js";import"./chunk-WH7YOYLE.js";import"./chunk-SYSDFOSE.js";import"./chunk-3CVCJLZY.js";import"./chunk-K2ZJDB3T.js";import"./chunk-3I3ABQBW.js";import"./chunk-BEH5JK5O.js";export{a as buildIncidentLedger,b as buildIncidentPorts,c as incidentIssueMirror};
