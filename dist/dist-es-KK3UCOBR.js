import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-HYAD5GTT.js";import"./chunk-UIKA2YBW.js";import"./chunk-OKYLZLIA.js";import"./chunk-ZMJ4P3L5.js";import"./chunk-DUQWCJ6F.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
