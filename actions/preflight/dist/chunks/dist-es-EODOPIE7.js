import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-57YVC4BC.js";import"./chunk-LFKZVQAS.js";import"./chunk-6N3VDKMU.js";import"./chunk-5HA4WRVK.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
