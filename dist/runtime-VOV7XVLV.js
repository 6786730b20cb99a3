import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{b as i}from"./chunk-DQW5KUMQ.js";import"./chunk-YZ75CNS3.js";import"./chunk-WWYYDMLR.js";import"./chunk-IBLHQSAR.js";import"./chunk-SHSEWORY.js";import{b as t}from"./chunk-YF36DIOZ.js";import"./chunk-PB2GT3W6.js";import"./chunk-VKWCUUQS.js";import"./chunk-GZP74LQH.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";var o=await t(i);export{o as runtime};
