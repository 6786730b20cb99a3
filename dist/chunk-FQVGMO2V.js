import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as e}from"./chunk-AOW3F5PO.js";var r=["block-ips","rotate-secret","freeze"];function o(t){return r.includes(t)}e(o,"isFleetCapable");var s={"block-ips":["target"],"rotate-secret":[],freeze:[]};export{r as a,o as b,s as c};
