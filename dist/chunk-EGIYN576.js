import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{n as o,q as r,r as s,x as t}from"./chunk-VGPCZKBO.js";import{a as e}from"./chunk-DUQWCJ6F.js";var m=class extends o(r,s,"ListObjectVersions",t){static{e(this,"ListObjectVersionsCommand")}};export{m as a};
