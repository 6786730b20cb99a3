import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{c as e}from"./chunk-6K6DGVPA.js";import{a as t}from"./chunk-AOW3F5PO.js";function u(r,i,p,o){let n=e(r.inputs,p);return i.prepare?i.prepare(n,o):n}t(u,"capabilityInput");export{u as a};
