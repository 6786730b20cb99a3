import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as t}from"./chunk-TWMFKUWF.js";import"./chunk-NHGBYV3H.js";import"./chunk-NCOJ23U6.js";import{b as i}from"./chunk-TLO25DK2.js";import"./chunk-GZP74LQH.js";import"./chunk-VYU3HGPB.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";var m=await i(t);export{m as runtime};
