import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-EJQTHTLB.js";import"./chunk-YVXYFRYC.js";import"./chunk-2GN534RJ.js";import"./chunk-OPVGKTE3.js";import"./chunk-BEH5JK5O.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
