import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{d as t}from"./chunk-ZUUDKCNW.js";import"./chunk-YEIMJTWN.js";import"./chunk-GFJX7AI3.js";import"./chunk-NGLVQFZR.js";import{c as o}from"./chunk-2IRO2Q2X.js";import"./chunk-LDUYBUYK.js";import"./chunk-3I3ABQBW.js";import"./chunk-BEH5JK5O.js";var p=await o(t);export{p as runtime};
