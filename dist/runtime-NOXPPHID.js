import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{d as t}from"./chunk-DSZHCNN2.js";import"./chunk-2YS3JARX.js";import"./chunk-6FX7APB4.js";import"./chunk-Y5YQXXZZ.js";import"./chunk-Q2LBEF2K.js";import"./chunk-KV4VBLPF.js";import"./chunk-JGERDULK.js";import"./chunk-7FQ24PV3.js";import{c as o}from"./chunk-2VIDO2QO.js";import"./chunk-GZP74LQH.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";var p=await o(t);export{p as runtime};
