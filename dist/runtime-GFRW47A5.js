import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{b as i}from"./chunk-M5DX3WKB.js";import"./chunk-SMSXM5VT.js";import"./chunk-64OJQKTA.js";import{b as t}from"./chunk-YXTJVFQB.js";import"./chunk-MJMH37JO.js";import"./chunk-WH7YOYLE.js";import"./chunk-LDUYBUYK.js";import"./chunk-SYSDFOSE.js";import"./chunk-3CVCJLZY.js";import"./chunk-ZL7GXBBS.js";import"./chunk-3I3ABQBW.js";import"./chunk-BEH5JK5O.js";var p={step:i,ports:r=>t(r),mirrorFailure:"fail"};export{p as runtime};
