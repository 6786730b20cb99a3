import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{n as t,o as m,s as o,v as r}from"./chunk-FOAA7CJG.js";import{a as e}from"./chunk-AOW3F5PO.js";var p=class extends t(m,o,"GetObject",r){static{e(this,"GetObjectCommand")}};export{p as a};
