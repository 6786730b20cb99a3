import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-CT5IRZY3.js";import"./chunk-MJMH37JO.js";import"./chunk-WH7YOYLE.js";import"./chunk-3CVCJLZY.js";import"./chunk-SYSDFOSE.js";import"./chunk-ZL7GXBBS.js";import"./chunk-3I3ABQBW.js";import"./chunk-BEH5JK5O.js";export{a as buildIncidentLedger,b as buildIncidentPorts,c as incidentIssueMirror};
