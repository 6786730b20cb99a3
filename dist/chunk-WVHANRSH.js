import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{c as r,i as e,j as s,k as m}from"./chunk-T2BZN7GI.js";import{a as o}from"./chunk-AOW3F5PO.js";var t=class extends e(s,m,"ListTagsForResource",r){static{o(this,"ListTagsForResourceCommand")}};export{t as a};
