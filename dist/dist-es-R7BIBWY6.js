import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-WFRLZTJX.js";import"./chunk-27ZW2TVX.js";import"./chunk-IJORHUID.js";import"./chunk-5KZ4B7DB.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
