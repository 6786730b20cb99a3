import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as b}from"./chunk-IHT737X6.js";import"./chunk-REP4IX63.js";import"./chunk-7WOAET66.js";import"./chunk-3LXCF4HE.js";import{a}from"./chunk-QB2XFNI4.js";import"./chunk-3I3ABQBW.js";import"./chunk-BEH5JK5O.js";export{a as CONFIG_LIMITS,b as parseConfig};
