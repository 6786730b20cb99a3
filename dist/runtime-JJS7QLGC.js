import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{d as t}from"./chunk-BDSUSITJ.js";import"./chunk-VEOQ5EOD.js";import"./chunk-X7OYZWE5.js";import"./chunk-PF4AARN5.js";import"./chunk-Q2LBEF2K.js";import"./chunk-ZXHW7XEA.js";import"./chunk-RTZEX5TW.js";import"./chunk-TVHJZSZK.js";import{c as o}from"./chunk-PFWTRD5R.js";import"./chunk-TIYN3ZK6.js";import"./chunk-UPXYP5ZQ.js";import"./chunk-AOW3F5PO.js";var p=await o(t);export{p as runtime};
