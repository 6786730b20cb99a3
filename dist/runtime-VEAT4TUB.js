import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{b as i}from"./chunk-KQSFPRNR.js";import"./chunk-NHGBYV3H.js";import"./chunk-NCOJ23U6.js";import{b as t}from"./chunk-TLO25DK2.js";import"./chunk-GZP74LQH.js";import"./chunk-VYU3HGPB.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";var o=await t(i);export{o as runtime};
