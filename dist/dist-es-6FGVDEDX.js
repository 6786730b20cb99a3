import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-L4AISF3W.js";import"./chunk-76YDOQRU.js";import"./chunk-X5METWKS.js";import"./chunk-5KZ4B7DB.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
