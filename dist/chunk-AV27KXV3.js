import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{n as t,o as m,s as o,v as r}from"./chunk-VGPCZKBO.js";import{a as e}from"./chunk-DUQWCJ6F.js";var p=class extends t(m,o,"GetObject",r){static{e(this,"GetObjectCommand")}};export{p as a};
