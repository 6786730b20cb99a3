import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-TJPCLXV7.js";import"./chunk-3UMSTISL.js";import"./chunk-536AY2EV.js";import"./chunk-KT6TH4VM.js";import"./chunk-AOW3F5PO.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
