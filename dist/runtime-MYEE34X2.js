import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{m as e}from"./chunk-XQ225WLQ.js";import"./chunk-Q7VD3XWH.js";import"./chunk-DSZHCNN2.js";import"./chunk-2YS3JARX.js";import"./chunk-6FX7APB4.js";import"./chunk-Y5YQXXZZ.js";import"./chunk-Q2LBEF2K.js";import"./chunk-KV4VBLPF.js";import"./chunk-JGERDULK.js";import"./chunk-7FQ24PV3.js";import{c as t}from"./chunk-VA4XPQNH.js";import"./chunk-GZP74LQH.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";var m=await t(e);export{m as runtime};
