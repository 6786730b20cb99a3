import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-YM7KF5VP.js";import"./chunk-F4B6FKAW.js";import"./chunk-TVG2QKP6.js";import"./chunk-RDNBDHKS.js";import"./chunk-FAXJ2ZZI.js";import"./chunk-UZ5RTYM3.js";import"./chunk-VCXGHVSX.js";import"./chunk-4SLSDNCN.js";import"./chunk-UCZGMGD5.js";import"./chunk-SWCINHEV.js";import"./chunk-WJVDNEIM.js";import"./chunk-UPXYP5ZQ.js";import"./chunk-AOW3F5PO.js";export{a as buildIncidentLedger,b as buildIncidentPorts,c as incidentIssueMirror};
