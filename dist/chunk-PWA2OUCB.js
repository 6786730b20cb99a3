import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{n as o,q as r,r as s,x as t}from"./chunk-FOAA7CJG.js";import{a as e}from"./chunk-AOW3F5PO.js";var m=class extends o(r,s,"ListObjectVersions",t){static{e(this,"ListObjectVersionsCommand")}};export{m as a};
