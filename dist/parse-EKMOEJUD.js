import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a as b}from"./chunk-I7OM3VML.js";import"./chunk-3LXNJW4S.js";import"./chunk-GFJX7AI3.js";import"./chunk-NGLVQFZR.js";import{a}from"./chunk-QB2XFNI4.js";import"./chunk-3I3ABQBW.js";import"./chunk-BEH5JK5O.js";export{a as CONFIG_LIMITS,b as parseConfig};
