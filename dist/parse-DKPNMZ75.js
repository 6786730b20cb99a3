import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as b}from"./chunk-5WWPUWBL.js";import"./chunk-GE6QJMFJ.js";import"./chunk-C267RNJA.js";import"./chunk-IBLHQSAR.js";import"./chunk-SHSEWORY.js";import"./chunk-KV4VBLPF.js";import"./chunk-JGERDULK.js";import"./chunk-7FQ24PV3.js";import{a}from"./chunk-65J4K53D.js";import"./chunk-HHAHJNQ4.js";import"./chunk-DUQWCJ6F.js";export{a as CONFIG_LIMITS,b as parseConfig};
