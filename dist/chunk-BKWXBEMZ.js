import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{n as e,q as m,r as o,w as r}from"./chunk-FOAA7CJG.js";import{a as t}from"./chunk-AOW3F5PO.js";var s=class extends e(m,o,"ListObjectsV2",r){static{t(this,"ListObjectsV2Command")}};export{s as a};
