import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-RKLRP6JJ.js";import"./chunk-EDF6YB6I.js";import"./chunk-XS2NUZSU.js";import"./chunk-RDYMWJTD.js";import"./chunk-BEH5JK5O.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
